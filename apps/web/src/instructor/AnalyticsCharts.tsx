import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

interface Props {
  byDay: readonly { date: string; count: number }[];
  funnel: readonly { title: string; completed: number }[];
  /** Counts of 1..5 stars. */
  distribution: readonly number[];
  labels: {
    byDay: string;
    funnel: string;
    ratings: string;
    enrollments: string;
    completed: string;
    reviews: string;
    stars: (count: number) => string;
  };
}

/**
 * A course's charts (its own chunk: recharts is loaded only here). Decorative for screen readers:
 * the tables beside them say the same in rows.
 */
export default function AnalyticsCharts({ byDay, funnel, distribution, labels }: Props) {
  // SVG attributes take no var(): the theme's colours as they are now.
  const style = getComputedStyle(document.documentElement);
  const brand = style.getPropertyValue('--brand').trim() || '#14532d';
  const accent = style.getPropertyValue('--accent').trim() || brand;
  const days = byDay.map((day) => ({ label: day.date.slice(5), count: day.count }));
  const lessons = funnel.map((point, index) => ({ label: `${index + 1}`, title: point.title, completed: point.completed }));
  const stars = distribution.map((count, index) => ({ label: labels.stars(index + 1), count }));
  return (
    <div className="teach-charts" aria-hidden="true">
      <figure>
        <figcaption>{labels.byDay}</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={days} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#374151' }} interval="preserveStartEnd" minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#374151' }} width={32} />
            <Tooltip />
            <Bar dataKey="count" name={labels.enrollments} fill={brand} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>{labels.funnel}</figcaption>
        <ResponsiveContainer width="100%" height={Math.max(160, lessons.length * 26 + 40)}>
          <BarChart data={lessons} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11, fill: '#374151' }} />
            <YAxis type="category" dataKey="label" tick={{ fontSize: 11, fill: '#374151' }} width={28} />
            <Tooltip labelFormatter={(_label, payload) => String(payload?.[0]?.payload?.title ?? '')} />
            <Bar dataKey="completed" name={labels.completed} fill={accent} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>{labels.ratings}</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={stars} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#374151' }} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: '#374151' }} width={32} />
            <Tooltip />
            <Bar dataKey="count" name={labels.reviews} fill={brand} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
