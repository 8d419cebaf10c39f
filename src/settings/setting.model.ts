/** Admin-managed settings (thresholds, canned reasons), one document per key. */
import { model, Schema } from 'mongoose';

const settingSchema = new Schema(
  {
    _id: { type: String, required: true },
    value: { type: Schema.Types.Mixed, required: true },
    updatedBy: { type: Schema.Types.ObjectId },
  },
  { timestamps: true, collection: 'settings' },
);

export const Setting = model('Setting', settingSchema);
