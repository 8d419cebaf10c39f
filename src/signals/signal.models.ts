/**
 * What members say about a line: usefulness votes, validity confirmations and
 * reports. One vote and one confirmation per (contact, member), overwritten
 * when repeated; one open report per (contact, member).
 */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';

export const USEFUL_TAGS = { reactif: 'Réactif', rappelle: 'Rappelle', dispositifs: 'Connaît les dispositifs' } as const;
export const CONFIRMATION_KINDS = {
  works: { label: 'J’ai appelé, ça marche', positive: true },
  still_valid: { label: 'Toujours valide', positive: true },
  no_answer: { label: 'Pas de réponse', positive: false },
  wrong_number: { label: 'Numéro erroné', positive: false },
  left: { label: 'La personne est partie', positive: false },
} as const;
export type ConfirmationKind = keyof typeof CONFIRMATION_KINDS;
export const REPORT_KINDS = {
  wrong_number: 'Numéro erroné',
  person_left: 'La personne est partie',
  no_answer: 'Pas de réponse',
  personal_data: 'Donnée personnelle (mobile privé, information privée…)',
  inappropriate: 'Contenu inapproprié',
  duplicate: 'Doublon d’une autre fiche',
  other: 'Autre (précisez)',
} as const;
export type ReportKind = keyof typeof REPORT_KINDS;
export const DATA_QUALITY_KINDS: ReportKind[] = ['wrong_number', 'person_left', 'no_answer'];

const ratingSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    useful: { type: Boolean, required: true },
    tags: { type: [String], default: [] },
    /** Optional account of how it unblocked a situation: shown only once a moderator approved it. */
    account: { type: String, maxlength: 1000 },
    accountState: { type: String, enum: ['none', 'pending', 'approved', 'rejected'], default: 'none' },
    /** What the screen flagged in the account (field and detector, never the text): the moderator checks it. */
    screeningFlags: { type: [{ field: String, kind: String, _id: false }], default: [] },
    weight: { type: Number, required: true },
  },
  { timestamps: true, collection: 'ratings' },
);
ratingSchema.index({ contactId: 1, memberId: 1 }, { unique: true });
ratingSchema.index({ contactId: 1 });
ratingSchema.index({ accountState: 1 });

const confirmationSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true, enum: Object.keys(CONFIRMATION_KINDS) },
    positive: { type: Boolean, required: true },
    at: { type: Date, required: true },
    weight: { type: Number, required: true },
  },
  { collection: 'confirmations', versionKey: false },
);
confirmationSchema.index({ contactId: 1, memberId: 1 }, { unique: true });
confirmationSchema.index({ contactId: 1 });

const reportSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true, enum: Object.keys(REPORT_KINDS) },
    text: { type: String, maxlength: 500 },
    /** What the screen flagged in the text (field and detector, never the text): the moderator checks it. */
    screeningFlags: { type: [{ field: String, kind: String, _id: false }], default: [] },
    status: { type: String, required: true, enum: ['open', 'withdrawn', 'resolved', 'dismissed'], default: 'open' },
    /** "contactId:memberId" while open, unset otherwise: the unique index allows one open report each. */
    openKey: { type: String },
    weight: { type: Number, required: true },
    region: { type: String, required: true, maxlength: 2 },
    resolvedAt: { type: Date },
  },
  { timestamps: true, collection: 'reports' },
);
reportSchema.index({ openKey: 1 }, { unique: true, sparse: true });
reportSchema.index({ contactId: 1, status: 1 });
reportSchema.index({ memberId: 1 });

export type RatingDoc = InferSchemaType<typeof ratingSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export type ConfirmationDoc = InferSchemaType<typeof confirmationSchema> & { _id: Types.ObjectId };
export type ReportDoc = InferSchemaType<typeof reportSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export const Rating = model('Rating', ratingSchema);
export const Confirmation = model('Confirmation', confirmationSchema);
export const Report = model('Report', reportSchema);

/**
 * « J’ai appelé »: what a member got when they called the line. One per
 * (card, member, Paris day): the `_id` is `call:<card>:<member>:<YYYY-MM-DD>`,
 * so a second tap the same day replaces the outcome and a read is an `_id`
 * lookup (docs/calls-and-rechecks.md).
 */
export const CALL_OUTCOMES = {
  reached: { label: 'Joint', positive: true },
  no_answer: { label: 'Pas de réponse', positive: false },
  wrong_number: { label: 'Numéro faux / plus attribué', positive: false },
} as const;
export type CallOutcome = keyof typeof CALL_OUTCOMES;

const callSchema = new Schema(
  {
    _id: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    /** The Paris day of the call (YYYY-MM-DD), also the end of the `_id`. */
    day: { type: String, required: true, maxlength: 10 },
    outcome: { type: String, required: true, enum: Object.keys(CALL_OUTCOMES) },
    at: { type: Date, required: true },
    weight: { type: Number, required: true },
  },
  { collection: 'calls', versionKey: false },
);
callSchema.index({ contactId: 1 });

/**
 * An author asked to re-check their card (one per card and needs-check
 * episode): the moderators' item waits until `dueAt`. Small by design: the
 * document is deleted when the episode ends (author's confirmation, item
 * opened, card no longer waiting).
 */
const recheckSchema = new Schema(
  {
    _id: { type: String, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    reason: { type: String, required: true, enum: ['stale', 'calls'] },
    /** The card's `needsCheckSince` when the episode began: the episode's identity. */
    episode: { type: Date, required: true },
    askedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
  },
  { collection: 'rechecks', versionKey: false },
);

export type CallDoc = InferSchemaType<typeof callSchema>;
export type RecheckDoc = InferSchemaType<typeof recheckSchema>;
export const Call = model('Call', callSchema);
export const Recheck = model('Recheck', recheckSchema);
