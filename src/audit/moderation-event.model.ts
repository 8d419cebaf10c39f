/**
 * The audit log: append-only moderation events. The model refuses every
 * update and delete at the driver boundary, so no code path can rewrite
 * history (tests prove it).
 */
import { type InferSchemaType, model, Schema, type Types } from 'mongoose';

const changeSchema = new Schema({ field: String, before: Schema.Types.Mixed, after: Schema.Types.Mixed }, { _id: false });

const moderationEventSchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    actorId: { type: Schema.Types.ObjectId },
    actorName: { type: String },
    /** e.g. contact.approve, contact.reject, member.approve, objection.confirm, report.dismiss */
    action: { type: String, required: true, maxlength: 60 },
    targetType: { type: String, required: true, maxlength: 20 },
    targetId: { type: Schema.Types.ObjectId, required: true },
    contactId: { type: Schema.Types.ObjectId },
    itemId: { type: Schema.Types.ObjectId },
    region: { type: String, maxlength: 3 },
    changes: { type: [changeSchema], default: [] },
    reason: { type: String, maxlength: 200 },
    message: { type: String, maxlength: 2000 },
    requestId: { type: String, maxlength: 64 },
  },
  { collection: 'moderation_events', versionKey: false },
);
moderationEventSchema.index({ contactId: 1 });
moderationEventSchema.index({ region: 1 });
moderationEventSchema.index({ action: 1 });
moderationEventSchema.index({ at: -1 });
moderationEventSchema.index({ region: 1, at: -1 });

const APPEND_ONLY = 'The audit log is append-only: moderation events cannot be changed or deleted.';
for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const) {
  moderationEventSchema.pre(op, function () {
    throw new Error(APPEND_ONLY);
  });
}
moderationEventSchema.pre('save', function () {
  if (!this.isNew) throw new Error(APPEND_ONLY);
});

export type ModerationEventDoc = InferSchemaType<typeof moderationEventSchema> & { _id: Types.ObjectId };
export const ModerationEvent = model('ModerationEvent', moderationEventSchema);
