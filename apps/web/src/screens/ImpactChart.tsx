import { PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart, ResponsiveContainer } from 'recharts';

/** The five dimensions as a radar (decorative: the list beside it says the same in words). */
export default function ImpactChart({ scores }: { scores: { label: string; score: number }[] }) {
  // SVG attributes take no var(): the theme's colours as they are now.
  const style = getComputedStyle(document.documentElement);
  const brand = style.getPropertyValue('--brand').trim() || '#14532d';
  const accent = style.getPropertyValue('--accent').trim() || brand;
  return (
    <div className="impact-chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={240}>
        <RadarChart data={scores} outerRadius="70%">
          <PolarGrid />
          <PolarAngleAxis dataKey="label" tick={{ fontSize: 12, fill: '#374151' }} />
          <PolarRadiusAxis domain={[0, 100]} tick={false} axisLine={false} />
          <Radar dataKey="score" stroke={accent} fill={brand} fillOpacity={0.35} isAnimationActive={false} />
        </RadarChart>
      </ResponsiveContainer>
    </div>
  );
}
