/**
 * Calendar boundaries in French time (Europe/Paris): the start of a day and
 * of a week (Monday), as instants. Daylight saving changes happen at night,
 * never at midnight, so a Paris midnight always exists and is unique.
 */
const TIME_ZONE = 'Europe/Paris';
const DAY = 24 * 3600 * 1000;

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date): WallClock {
  const p = Object.fromEntries(partsFormat.formatToParts(instant).map((x) => [x.type, Number(x.value)]));
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
}

/** Paris offset from UTC at an instant, in milliseconds (+1 h in winter, +2 h in summer). */
function offsetAt(instant: Date): number {
  const w = wallClock(instant);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant of 00:00 in Paris on a calendar date (month 1–12; day may overflow, like Date.UTC). */
export function parisMidnight(year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetAt(new Date(guess));
  return new Date(guess - offsetAt(new Date(first)));
}

/** 00:00 in Paris on a "YYYY-MM-DD" date, or undefined when the text is not a real date. */
export function parisDayStart(ymd: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return parisMidnight(year, month, day);
}

/** 00:00 in Paris on the day after a "YYYY-MM-DD" date (the end of that day), or undefined. */
export function parisDayEnd(ymd: string): Date | undefined {
  const start = parisDayStart(ymd);
  if (!start) return undefined;
  const [year, month, day] = ymd.split('-').map(Number);
  return parisMidnight(year, month, day + 1);
}

/** 00:00 in Paris on the Monday of the week holding `instant`, shifted by `weeks` (negative: earlier). */
export function parisWeekStart(instant: Date, weeks = 0): Date {
  const w = wallClock(instant);
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(); // 0 = Sunday
  const sinceMonday = (weekday + 6) % 7;
  return parisMidnight(w.year, w.month, w.day - sinceMonday + 7 * weeks);
}

/** Whole days between two instants (rounded down), for ages. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY);
}
