import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, XAxis, YAxis } from 'recharts';

/** Scores run 0 to 100 but an academy's sit low: the axis ends at the next ten above the highest. */
const scoreCeiling = (highest: number) => Math.min(100, Math.max(10, Math.ceil(highest / 10) * 10));

export interface TrendPoint {
  label: string;
  overall: number;
  eventCount: number;
}

/**
 * The overall score per sub-period (line) over the actions recorded (bars). Decorative: the
 * table beside it says the same in words.
 */
export default function TrendChart({ points }: { points: TrendPoint[] }) {
  // SVG attributes take no var(): the theme's colours as they are now.
  const style = getComputedStyle(document.documentElement);
  const brand = style.getPropertyValue('--brand').trim() || '#14532d';
  const accent = style.getPropertyValue('--accent').trim() || brand;
  return (
    <div className="admin-trend-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={points} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid stroke="#e5e7eb" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: '#374151' }} interval="preserveStartEnd" />
          <YAxis yAxisId="score" domain={[0, scoreCeiling]} tick={{ fontSize: 12, fill: '#374151' }} width={36} />
          <YAxis yAxisId="events" orientation="right" allowDecimals={false} tick={{ fontSize: 12, fill: '#374151' }} width={36} />
          <Bar yAxisId="events" dataKey="eventCount" fill={brand} fillOpacity={0.25} isAnimationActive={false} />
          <Line yAxisId="score" dataKey="overall" stroke={accent} strokeWidth={2} dot={points.length < 40} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
