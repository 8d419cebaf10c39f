/** A professional with an account. Status and role drive every access decision. */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';
import { addToSets, idsInSets } from '../core/lookup';

export const PROFESSIONS = {
  ass: 'Assistant·e de service social',
  cesf: 'Conseiller·e en économie sociale et familiale (CESF)',
  es: 'Éducateur·rice spécialisé·e',
  cip: 'Conseiller·e en insertion professionnelle',
  other: 'Autre profession de l’action sociale',
} as const;
export type ProfessionCode = keyof typeof PROFESSIONS;

export const MEMBER_STATUSES = ['pending', 'active', 'rejected', 'suspended'] as const;
export const ROLES = ['member', 'moderator', 'admin'] as const;

const memberSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    passwordHash: { type: String, required: true },
    firstName: { type: String, required: true, trim: true, maxlength: 80 },
    lastName: { type: String, required: true, trim: true, maxlength: 80 },
    profession: { type: String, required: true, enum: Object.keys(PROFESSIONS) },
    employer: { type: String, required: true, trim: true, maxlength: 160 },
    departement: { type: String, required: true, maxlength: 3 },
    region: { type: String, required: true, maxlength: 2 },
    membershipNumber: { type: String, trim: true, maxlength: 40 },
    status: { type: String, required: true, enum: MEMBER_STATUSES, default: 'pending' },
    role: { type: String, required: true, enum: ROLES, default: 'member' },
    moderatorRegions: { type: [String], default: [] },
    /** Trust level 1–3 used to weigh signals (docs/trust.md « Trust levels and weights »). */
    level: { type: Number, default: 1, min: 0, max: 3 },
    emailVerifiedAt: { type: Date },
    decidedAt: { type: Date },
    decidedBy: { type: Schema.Types.ObjectId },
    rejectionReason: { type: String, maxlength: 1000 },
    lastLoginAt: { type: Date },
  },
  { timestamps: true, collection: 'members' },
);

memberSchema.index({ email: 1 }, { unique: true });
// Approval queue: pending applicants of a région (equality filters only, pushed down by FerretDB).
memberSchema.index({ status: 1, region: 1 });

/** The keyed set (core/lookup.ts) that finds an account by e-mail without a scan (docs/data-access.md). */
export const memberEmailKey = (email: string) => `member-email:${email.trim().toLowerCase()}`;

// Whoever creates an account (registration, admin:create, seeds, tests), its key comes first.
memberSchema.pre('save', async function () {
  if (this.isNew || this.isModified('email')) await addToSets([memberEmailKey(this.email)], this._id);
});

export type MemberDoc = InferSchemaType<typeof memberSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Member = model('Member', memberSchema);

/** The account with this e-mail address, by its keyed set (then the real field), or null. */
export async function findMemberByEmail(email: string): Promise<MemberDoc | null> {
  const normalized = email.trim().toLowerCase();
  const ids = await idsInSets([memberEmailKey(normalized)], 20);
  if (!ids.length) return null;
  const found = await Member.find({ _id: { $in: ids } }).lean<MemberDoc[]>();
  return found.find((m) => m.email === normalized) ?? null;
}
