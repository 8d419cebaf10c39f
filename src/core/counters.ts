/**
 * Per-day counters for caps (« 50 évaluations par jour »): one document per
 * (what, who, day), with the key as `_id`, incremented atomically. Counting
 * the actor's documents of the day instead would read a whole collection on
 * the embedded database (docs/data-access.md). Old counters are deleted by the
 * clean-up job, so the collection stays as small as one day of activity.
 */
import { model, Schema } from 'mongoose';
import { isDuplicateKey } from './db';

const counterSchema = new Schema(
  {
    _id: { type: String, required: true },
    n: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'counters', versionKey: false },
);

export const Counter = model('Counter', counterSchema);

const DAY = 24 * 3600 * 1000;

// One formatter for the process: building one per call took about 56 µs here, formatting with it 1 µs.
const parisDayFormat = new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day in Paris, as YYYY-MM-DD (caps reset at midnight where the members live). */
export function parisDay(now: Date): string {
  return parisDayFormat.format(now);
}

/** Adds one to today's counter of `what` for `who` and returns the new count. */
export async function countToday(what: string, who: string, now = new Date()): Promise<number> {
  const id = `${what}:${who}:${parisDay(now)}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await Counter.findOneAndUpdate(
        { _id: id },
        { $inc: { n: 1 }, $setOnInsert: { expiresAt: new Date(now.getTime() + 2 * DAY) } },
        { upsert: true, returnDocument: 'after' },
      ).lean<{ n: number }>();
      return doc?.n ?? 1;
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= 2) throw err;
    }
  }
}

/** Takes back one count (an action refused after it was counted). */
export async function uncountToday(what: string, who: string, now = new Date()): Promise<void> {
  await Counter.updateOne({ _id: `${what}:${who}:${parisDay(now)}` }, { $inc: { n: -1 } });
}

/** Deletes counters of past days (clean-up job). */
export async function deleteExpiredCounters(now = new Date()): Promise<number> {
  const res = await Counter.deleteMany({ expiresAt: { $lt: now } });
  return res.deletedCount ?? 0;
}
