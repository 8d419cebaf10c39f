/** An agent's request to be removed, confirmed by a one-time link; only the token's hash is stored. */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';

const objectionSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, maxlength: 254 },
    contactIds: { type: [Schema.Types.ObjectId], default: [] },
    tokenHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    confirmedAt: { type: Date },
  },
  { timestamps: true, collection: 'objections' },
);
objectionSchema.index({ tokenHash: 1 }, { unique: true });

export type ObjectionDoc = InferSchemaType<typeof objectionSchema> & { _id: Types.ObjectId };
export const Objection = model('Objection', objectionSchema);
