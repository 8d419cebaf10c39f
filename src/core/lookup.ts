/**
 * Keyed sets: `key → ids`, stored one document per key with the key as `_id`,
 * so that every read and write is an `_id` lookup. They stand in for
 * secondary indexes where the embedded database cannot use one (every filter
 * but `_id` reads the whole collection there: docs/data-access.md).
 *
 * A set is an index, not the truth: it may hold an id whose document no longer
 * matches (a number changed, a card was erased). Readers load the documents by
 * id and check the real fields; writers add before they write the document, so
 * a crash leaves at most an extra id, never a missing one.
 */
import { model, Schema, type Types } from 'mongoose';
import { isDuplicateKey } from './db';

const lookupSchema = new Schema(
  {
    _id: { type: String, required: true },
    ids: { type: [Schema.Types.ObjectId], default: [] },
  },
  { collection: 'lookups', versionKey: false },
);

export const Lookup = model('Lookup', lookupSchema);

/** Most ids one read returns (one `$in` the database answers from its `_id` index). */
export const LOOKUP_READ_LIMIT = 1000;


/** Adds `id` to the set of each key (idempotent, safe against concurrent writers). */
export async function addToSets(keys: string[], id: Types.ObjectId): Promise<void> {
  for (const key of new Set(keys)) {
    // Two first writers of one key both upsert: one insert loses on the unique _id and is retried as an update.
    for (let attempt = 0; ; attempt++) {
      try {
        await Lookup.updateOne({ _id: key }, { $addToSet: { ids: id } }, { upsert: true });
        break;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 2) throw err;
      }
    }
  }
}

/** Removes `id` from the set of each key. */
export async function removeFromSets(keys: string[], id: Types.ObjectId): Promise<void> {
  for (const key of new Set(keys)) await Lookup.updateOne({ _id: key }, { $pull: { ids: id } });
}

/** The ids held under any of `keys` (deduplicated, at most `limit`). */
export async function idsInSets(keys: string[], limit = LOOKUP_READ_LIMIT): Promise<Types.ObjectId[]> {
  const unique = [...new Set(keys)];
  if (!unique.length) return [];
  const docs = await Lookup.find({ _id: { $in: unique } }).lean<Array<{ _id: string; ids: Types.ObjectId[] }>>();
  const seen = new Map<string, Types.ObjectId>();
  for (const d of docs) for (const id of d.ids) if (seen.size < limit) seen.set(String(id), id);
  return [...seen.values()];
}

/** Replaces whole sets at once (seeds and rebuilds), in chunks the database accepts. */
export async function writeSets(sets: Map<string, Types.ObjectId[]>, chunk = 500): Promise<void> {
  const entries = [...sets.entries()];
  for (let i = 0; i < entries.length; i += chunk) {
    const slice = entries.slice(i, i + chunk);
    await Lookup.deleteMany({ _id: { $in: slice.map(([key]) => key) } });
    await Lookup.insertMany(slice.map(([key, ids]) => ({ _id: key, ids })), { ordered: false });
  }
}
