/**
 * Identifiers of agents whose objection was upheld (hashed E.164 numbers and
 * e-mails): a contact carrying one cannot be created again.
 */
import { model, Schema } from 'mongoose';

const suppressionSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['phone', 'email'] },
    hash: { type: String, required: true },
    reason: { type: String, maxlength: 100 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'suppressions' },
);
suppressionSchema.index({ hash: 1 }, { unique: true });

export const Suppression = model('Suppression', suppressionSchema);
