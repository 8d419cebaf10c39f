/** An agent's request to be removed, confirmed by a one-time link; only the token's hash is stored. */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';

const objectionSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, maxlength: 254 },
    /** Cards whose identity check holds: the card shows this address, or the agency vouches for its domain. */
    contactIds: { type: [Schema.Types.ObjectId], default: [] },
    /** A card named by its reference whose agency does not vouch for this address: a moderator decides. */
    unverifiedIds: { type: [Schema.Types.ObjectId], default: [] },
    tokenHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    confirmedAt: { type: Date },
  },
  { timestamps: true, collection: 'objections' },
);
objectionSchema.index({ tokenHash: 1 }, { unique: true });

export type ObjectionDoc = InferSchemaType<typeof objectionSchema> & { _id: Types.ObjectId };
export const Objection = model('Objection', objectionSchema);
