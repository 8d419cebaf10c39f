/**
 * Searches that found nothing, so moderators see what members look for and
 * do not find. Only queries that passed the confidentiality screen are kept.
 */
import { model, Schema } from 'mongoose';

const searchMissSchema = new Schema(
  {
    key: { type: String, required: true, maxlength: 200 },
    query: { type: String, required: true, maxlength: 200 },
    region: { type: String, required: true, maxlength: 3 },
    departement: { type: String, maxlength: 3 },
    count: { type: Number, default: 0 },
    lastAt: { type: Date, required: true },
  },
  { collection: 'search_misses', versionKey: false },
);
searchMissSchema.index({ key: 1, region: 1 }, { unique: true });
searchMissSchema.index({ region: 1 });

export const SearchMiss = model('SearchMiss', searchMissSchema);
