/**
 * Identifiers of agents whose objection was upheld (hashed E.164 numbers and
 * e-mails): a contact carrying one cannot be created again. The hash is the
 * `_id`, so the check is an `_id` lookup (docs/data-access.md); `hash` stays
 * as a field for readers of older entries.
 */
import { model, Schema } from 'mongoose';

const suppressionSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['phone', 'email'] },
    hash: { type: String, required: true },
    reason: { type: String, maxlength: 100 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'suppressions' },
);
suppressionSchema.index({ hash: 1 }, { unique: true });

export const Suppression = model('Suppression', suppressionSchema);
