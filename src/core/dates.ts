/** French date phrases for freshness badges. */
const rtf = new Intl.RelativeTimeFormat('fr', { numeric: 'auto' });
const DAY = 24 * 3600 * 1000;
const longDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

/** "3 décembre 2026" (Paris time), as the views' formatDate helper writes it. */
export const formatLongDate = (d: Date | string | number) => longDate.format(new Date(d));

/** The same instant `months` calendar months earlier (the freshness and campaign jobs' clocks). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setMonth(d.getMonth() - months);
  return d;
}

/** "aujourd’hui", "il y a 3 jours", "il y a 3 mois", "il y a 2 ans". */
export function relativeFromNow(date: Date | string | undefined | null, now = new Date()): string | undefined {
  if (!date) return undefined;
  const days = Math.round((now.getTime() - new Date(date).getTime()) / DAY);
  if (days < 1) return 'aujourd’hui';
  if (days < 31) return rtf.format(-days, 'day');
  if (days < 365) return rtf.format(-Math.round(days / 30.44), 'month');
  return rtf.format(-Math.round(days / 365.25), 'year');
}
