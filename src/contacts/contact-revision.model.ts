/**
 * A suggested change to a published contact (pending changes): members keep
 * seeing the published version until a moderator approves the revision.
 */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';

export const REVISION_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

const revisionSchema = new Schema(
  {
    contactId: { type: Schema.Types.ObjectId, required: true },
    /** The member who proposed it; none when the listed agent did, from their own page. */
    proposedBy: { type: Schema.Types.ObjectId },
    fromAgent: { type: Boolean },
    status: { type: String, required: true, enum: REVISION_STATUSES, default: 'pending' },
    /** The full proposed values of the editable fields. */
    proposed: { type: Schema.Types.Mixed, required: true },
    /** Field-level diff against the version it was based on: [{ field, before, after }]. */
    changes: { type: [{ field: String, before: Schema.Types.Mixed, after: Schema.Types.Mixed, _id: false }], default: [] },
    baseRevision: { type: Number, required: true },
    note: { type: String, trim: true, maxlength: 500 },
    screeningFlags: { type: [{ field: String, kind: String, _id: false }], default: [] },
    region: { type: String, required: true, maxlength: 2 },
    decidedBy: { type: Schema.Types.ObjectId },
    decidedAt: { type: Date },
  },
  { timestamps: true, collection: 'contact_revisions' },
);
revisionSchema.index({ contactId: 1, status: 1 });
revisionSchema.index({ status: 1, region: 1 });

export type ContactRevisionDoc = InferSchemaType<typeof revisionSchema> & { _id: Types.ObjectId; createdAt: Date };
export const ContactRevision = model('ContactRevision', revisionSchema);
