/** Single-use tokens sent by e-mail; only their SHA-256 is stored. */
import { model, Schema } from 'mongoose';

export const TOKEN_PURPOSES = ['verify_email', 'reset_password'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

const memberTokenSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    purpose: { type: String, required: true, enum: TOKEN_PURPOSES },
    tokenHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'member_tokens' },
);
memberTokenSchema.index({ tokenHash: 1 }, { unique: true });
memberTokenSchema.index({ memberId: 1, purpose: 1 });

export const MemberToken = model('MemberToken', memberTokenSchema);
