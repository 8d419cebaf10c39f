/**
 * Counters of rate-limiter-flexible, kept in the database so limits hold
 * across app instances. FerretDB has no TTL index: expired rows are deleted by
 * the clean-up job; the unique key index is what the limiter's upsert relies on.
 */
import { model, Schema } from 'mongoose';

const rateLimitSchema = new Schema(
  {
    key: { type: String, required: true },
    points: { type: Number, required: true },
    expire: { type: Date },
  },
  { collection: 'rate_limits', versionKey: false, strict: false },
);
rateLimitSchema.index({ key: 1 }, { unique: true });

export const RateLimit = model('RateLimit', rateLimitSchema);
