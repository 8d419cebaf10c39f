/**
 * The moderation queue: one collection of typed items (NodeBB flags +
 * Discourse reviewables). One open item per target: new reasons (a new
 * report, staleness) join it. `version` increases on every change so two
 * moderators cannot decide the same item twice.
 */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';

export const ITEM_TYPES = {
  objection: { label: 'Opposition d’un agent', base: 100 },
  report: { label: 'Signalement', base: 60 },
  new_contact: { label: 'Nouveau contact', base: 40 },
  new_member: { label: 'Demande d’accès', base: 35 },
  edit: { label: 'Modification proposée', base: 30 },
  duplicate: { label: 'Doublon possible', base: 25 },
  account: { label: 'Récit à relire', base: 20 },
  stale: { label: 'Fiche à revérifier', base: 10 },
} as const;
export type ItemType = keyof typeof ITEM_TYPES;
/** Typed so that a stored item's `type` is an ItemType, not a string. */
const ITEM_TYPE_CODES = Object.keys(ITEM_TYPES) as ItemType[];
/** Days after which an open item is late (docs/moderation.md « Queue items: types, priority, late items »): queue filter, digest, dashboard. */
export const OVERDUE_DAYS = 7;
export const TARGET_TYPES = ['member', 'contact', 'revision', 'rating'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

const reasonSchema = new Schema({ code: String, label: String, at: Date }, { _id: false });
const noteSchema = new Schema({ by: Schema.Types.ObjectId, byName: String, text: String, at: Date }, { _id: false });
const timelineSchema = new Schema({ at: Date, action: String, by: Schema.Types.ObjectId, byName: String, detail: String }, { _id: false });

const queueItemSchema = new Schema(
  {
    type: { type: String, required: true, enum: ITEM_TYPE_CODES },
    targetType: { type: String, required: true, enum: TARGET_TYPES },
    targetId: { type: Schema.Types.ObjectId, required: true },
    /** The contact concerned (for contact, revision and rating targets). */
    contactId: { type: Schema.Types.ObjectId },
    region: { type: String, required: true, maxlength: 3 },
    reasons: { type: [reasonSchema], default: [] },
    /** Screening flags of the free text the reasons brought (a report's text, an account): flagged items come first. */
    screeningFlags: { type: [{ field: String, kind: String, _id: false }], default: [] },
    reportScore: { type: Number, default: 0 },
    priority: { type: Number, default: 0 },
    status: { type: String, required: true, enum: ['open', 'resolved'], default: 'open' },
    /** "targetType:targetId" while open; unset when resolved (unique: one open item per target). */
    openKey: { type: String },
    /** Whoever caused the item (author, applicant, reporter): they may never decide it. */
    createdBy: { type: Schema.Types.ObjectId },
    claim: { by: Schema.Types.ObjectId, byName: String, until: Date },
    notes: { type: [noteSchema], default: [] },
    timeline: { type: [timelineSchema], default: [] },
    version: { type: Number, default: 1 },
    resolution: { action: String, by: Schema.Types.ObjectId, byName: String, at: Date, reason: String },
    overdueNotifiedAt: { type: Date },
    escalatedAt: { type: Date },
  },
  { timestamps: true, collection: 'queue_items' },
);
queueItemSchema.index({ openKey: 1 }, { unique: true, sparse: true });
queueItemSchema.index({ status: 1, region: 1 });
queueItemSchema.index({ contactId: 1 });

export type QueueItemDoc = InferSchemaType<typeof queueItemSchema> & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const QueueItem = model('QueueItem', queueItemSchema);
