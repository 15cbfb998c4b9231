/** A billing interval unit. */
export type Interval = 'day' | 'week' | 'month' | 'year';

/**
 * Adds `count` intervals to `anchor`. Months and years keep the anchor's day of the
 * month where it exists and clamp to the month's last day where it does not, so a
 * subscription started on 31 January renews on 28/29 February and then 31 March
 * (always computed from the anchor, never from the previous, clamped date).
 */
export function addIntervals(anchor: Date, interval: Interval, count: number): Date {
  const d = new Date(anchor.getTime());
  switch (interval) {
    case 'day':
      return new Date(d.getTime() + count * 86_400_000);
    case 'week':
      return new Date(d.getTime() + count * 7 * 86_400_000);
    case 'month':
    case 'year': {
      const months = interval === 'year' ? count * 12 : count;
      const day = d.getUTCDate();
      const target = new Date(
        Date.UTC(
          d.getUTCFullYear(),
          d.getUTCMonth() + months,
          1,
          d.getUTCHours(),
          d.getUTCMinutes(),
          d.getUTCSeconds(),
          d.getUTCMilliseconds(),
        ),
      );
      const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
      target.setUTCDate(Math.min(day, lastDay));
      return target;
    }
  }
}
