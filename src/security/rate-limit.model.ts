/**
 * Counters of the rate limits and usage caps, kept in the database so they
 * hold across app instances. Each counter is one document whose `_id` is its
 * key: FerretDB on SQLite evaluates every other filter by reading the whole
 * collection, `_id` equality it looks up directly. FerretDB has no TTL index:
 * expired rows are deleted by the clean-up job.
 */
import { model, Schema } from 'mongoose';

const counterSchema = new Schema(
  {
    _id: { type: String, required: true },
    points: { type: Number },
    expire: { type: Date },
  },
  { collection: 'rate_limits', versionKey: false, strict: false },
);

export const RateCounter = model('RateCounter', counterSchema);

/**
 * Drops the unique `key` index of the earlier store (counters keyed by a
 * `key` field): on MongoDB it would refuse a second counter without `key`.
 */
export async function dropLegacyRateLimitIndex(): Promise<void> {
  const indexes = await RateCounter.collection.indexes().catch(() => []);
  if (indexes.some((i) => i.name === 'key_1')) await RateCounter.collection.dropIndex('key_1');
}
