/**
 * Every write of a contact goes through here, so that what the embedded
 * database cannot index is kept beside it (docs/data-access.md):
 * - the keyed sets (core/lookup.ts) that find a contact by number, by agent
 *   and agency, by e-mail, and an agency's contacts, without a scan;
 * - the search outbox mark, written before the contact, so that a crash
 *   between the two leaves one push too many rather than one lost.
 * Reads by those keys load the contacts by `_id` and check the real fields.
 */
import { Types, type UpdateQuery } from 'mongoose';
import { addToSets, idsInSets, LOOKUP_READ_LIMIT } from '../core/lookup';
import { kickSearchSync } from '../search/indexer';
import { markForSearch } from '../search/search-outbox';
import { agencyReviewKey, bumpSearch, Contact, type ContactDoc, contactKeys, IN_REVIEW_STATES } from './contact.model';

export { agencyContactsKey, agencyReviewKey, agentKeyOf, contactEmailKey, contactKeys, phoneKey } from './contact.model';

/** Inserts a contact (the model writes its keys and search mark first) and kicks the search sync. */
export async function insertContact(values: Record<string, unknown>): Promise<ContactDoc> {
  const created = await Contact.create(values);
  kickSearchSync([created._id]);
  return created.toObject() as unknown as ContactDoc;
}

/**
 * Updates one contact (the filter names its `_id`, plus whatever the write is
 * conditional on) with the search bump, keeping keys and outbox in step.
 * Returns the contact after the write, or undefined when the filter no longer
 * matched (somebody wrote first).
 */
export async function updateContact(filter: Record<string, unknown> & { _id: Types.ObjectId }, update: UpdateQuery<ContactDoc> & { $set?: object; $inc?: object }): Promise<ContactDoc | undefined> {
  await markForSearch('c', [filter._id]);
  const after = await Contact.findOneAndUpdate(filter, bumpSearch(update), { returnDocument: 'after' }).lean<ContactDoc>();
  if (after) {
    // New numbers, name or e-mail must be findable at once; old keys stay until readers drop them.
    const set = (update.$set ?? {}) as Record<string, unknown>;
    if ('phoneKeys' in set || 'agentKey' in set || 'email' in set) await addToSets(contactKeys(after), after._id);
    if (IN_REVIEW_STATES.includes(after.state)) await addToSets([agencyReviewKey(after.agencyId)], after._id);
  }
  kickSearchSync([filter._id]);
  return after ?? undefined;
}

/** The contacts held under these keys (at most `limit`), loaded by `_id`; the caller checks their fields. */
export async function contactsByKeys(keys: string[], limit = LOOKUP_READ_LIMIT): Promise<ContactDoc[]> {
  const ids = await idsInSets(keys, limit);
  return ids.length ? Contact.find({ _id: { $in: ids } }).lean<ContactDoc[]>() : [];
}

/** Contacts by id, in the order given (missing ones left out). */
export async function contactsByIds(ids: Array<Types.ObjectId | string>): Promise<ContactDoc[]> {
  const unique = [...new Set(ids.map(String))].slice(0, LOOKUP_READ_LIMIT);
  if (!unique.length) return [];
  const docs = await Contact.find({ _id: { $in: unique.map((id) => new Types.ObjectId(id)) } }).lean<ContactDoc[]>();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  return unique.map((id) => byId.get(id)).filter((d): d is ContactDoc => !!d);
}
