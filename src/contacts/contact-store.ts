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
import { conflict } from '../core/errors';
import { addToSets, idsInSets, LOOKUP_READ_LIMIT } from '../core/lookup';
import type { Actor } from '../core/policy';
import { type AuditEntry, recordEvent } from '../audit/audit';
import { kickSearchSync } from '../search/search.service';
import { markForSearch } from '../search/search-outbox';
import { agencyReviewKey, bumpSearch, Contact, type ContactDoc, contactKeys, importBatchKey } from './contact.model';
import { ContactRevision, type ContactRevisionDoc } from './contact-revision.model';
import { type ContactState, findTransition, isInReview, STATE_LABELS, type StateAction, type StateActor, vetoOf } from './contact-states';

export { agencyContactsKey, agencyReviewKey, agentKeyOf, contactEmailKey, contactKeys, phoneKey } from './contact.model';

/** Inserts a contact (the model writes its keys and search mark first) and kicks the search sync. */
export async function insertContact(values: Record<string, unknown>): Promise<ContactDoc> {
  const created = await Contact.create(values);
  kickSearchSync([created._id]);
  return created.toObject();
}

/**
 * Updates one contact (the filter names its `_id`, plus whatever the write is
 * conditional on) with the search bump, keeping keys and outbox in step.
 * Returns the contact after the write, or undefined when the filter no longer
 * matched (somebody wrote first).
 */
export async function updateContact(
  filter: Record<string, unknown> & { _id: Types.ObjectId },
  update: UpdateQuery<ContactDoc> & { $set?: object; $inc?: object },
): Promise<ContactDoc | undefined> {
  await markForSearch('c', [filter._id]);
  const after = await Contact.findOneAndUpdate(filter, bumpSearch(update), { returnDocument: 'after' }).lean<ContactDoc>();
  if (after) {
    // New numbers, name or e-mail must be findable at once; old keys stay until readers drop them.
    const set = (update.$set ?? {}) as Record<string, unknown>;
    if ('phoneKeys' in set || 'agentKey' in set || 'email' in set) await addToSets(contactKeys(after), after._id);
    if (isInReview(after.state)) await addToSets([agencyReviewKey(after.agencyId)], after._id);
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

export interface StateChange {
  by: StateActor;
  action: StateAction;
  /** The target state when the action has several (erase). */
  to?: ContactState;
  /** Other fields written with the state, in the same conditional write. */
  set?: Record<string, unknown>;
  unset?: Record<string, 1>;
  /** The audit event, appended once the write happened (its state change is added). */
  audit?: { actor: Actor | undefined } & Omit<AuditEntry, 'targetType' | 'targetId' | 'contactId' | 'region'> & Partial<Pick<AuditEntry, 'region'>>;
}

const refused = (message: string) => conflict(message, 'transition_refused');
const alreadyDecided = () => conflict('Ce contact a déjà été traité ou modifié entre-temps.', 'already_decided');

/**
 * Changes the state of the card as it was read: the write matches only if
 * nobody changed the card since (same state, same revision). When somebody
 * did, a card under review is not retried (its content may have changed under
 * the decision: the caller answers « déjà traité »), while a live card, which
 * takes members' signals all the time, is read again and the change applied
 * again as long as the table still allows it from the state found.
 */
export async function changeState(read: ContactDoc, change: StateChange): Promise<{ before: ContactDoc; after: ContactDoc }> {
  let current = read;
  for (let attempt = 0; attempt < 10; attempt++) {
    const rule = findTransition(change.by, change.action, current.state, change.to);
    // After a missed write, a state the table no longer allows means somebody decided first.
    if (!rule && attempt > 0) throw alreadyDecided();
    if (!rule)
      throw refused(`Ce changement n’est pas possible pour une fiche dans l’état « ${STATE_LABELS[current.state as ContactState] ?? current.state} ».`);
    const veto = vetoOf(rule, current);
    if (veto) throw refused(veto);
    const after = await updateContact(
      { _id: current._id, state: current.state, revision: current.revision },
      { $set: { ...change.set, state: rule.to }, ...(change.unset ? { $unset: change.unset } : {}) },
    );
    if (after) {
      if (change.audit) {
        const { actor, changes, ...entry } = change.audit;
        await recordEvent(actor, {
          ...entry,
          targetType: 'contact',
          targetId: current._id,
          contactId: current._id,
          region: entry.region ?? current.region,
          changes: [...(changes ?? []), { field: 'state', before: current.state, after: rule.to }],
        });
      }
      return { before: current, after };
    }
    const fresh = await Contact.findById(current._id).lean<ContactDoc>();
    if (!fresh) throw refused('Cette fiche n’existe plus.');
    if (isInReview(read.state) || isInReview(fresh.state)) {
      throw alreadyDecided();
    }
    current = fresh;
  }
  throw conflict('Ce contact est très sollicité en ce moment : réessayez dans un instant.', 'busy');
}

/** A contact by id (null when missing or malformed). */
export async function findContact(id: Types.ObjectId | string | null | undefined): Promise<ContactDoc | null> {
  return id && Types.ObjectId.isValid(String(id)) ? Contact.findById(id).lean<ContactDoc>() : null;
}

/** A suggested edit by id (null when missing or malformed). */
export async function findRevision(id: Types.ObjectId | string | null | undefined): Promise<ContactRevisionDoc | null> {
  return id && Types.ObjectId.isValid(String(id)) ? ContactRevision.findById(id).lean<ContactRevisionDoc>() : null;
}

/** Suggested edits by id (at most LOOKUP_READ_LIMIT), in no particular order. */
export async function revisionsByIds(ids: Array<Types.ObjectId | string>): Promise<ContactRevisionDoc[]> {
  return ids.length ? ContactRevision.find({ _id: { $in: ids } }).lean<ContactRevisionDoc[]>() : [];
}

/** The cards of one spreadsheet import, through the batch's keyed set (ids checked against the batch). */
export async function contactsOfImportBatch(batchId: string): Promise<ContactDoc[]> {
  const ids = await idsInSets([importBatchKey(batchId)], Number.MAX_SAFE_INTEGER);
  const out: ContactDoc[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP_READ_LIMIT) out.push(...(await contactsByIds(ids.slice(i, i + LOOKUP_READ_LIMIT))));
  return out.filter((c) => c.importBatchId === batchId);
}

/** Every card waiting for its first moderation (a job's full read: the queue's repair). */
export async function pendingContacts(): Promise<ContactDoc[]> {
  return Contact.find({ state: 'pending' }).lean<ContactDoc[]>();
}

/** The lists of signals a card carries (votes, confirmations, open reports, calls), kept by signals/. */
export type SignalList = 'ratedBy' | 'confirmedBy' | 'openReportIds' | 'callIds';

/** Adds an id to one of a card's signal lists (no revision bump: its search document does not change). */
export async function addToSignalList(contactId: Types.ObjectId, list: SignalList, id: Types.ObjectId | string): Promise<void> {
  await Contact.updateOne({ _id: contactId }, { $addToSet: { [list]: id } });
}

/** Removes ids from one of a card's signal lists. */
export async function removeFromSignalList(contactId: Types.ObjectId, list: SignalList, ids: Types.ObjectId[]): Promise<void> {
  await Contact.updateOne({ _id: contactId }, { $pullAll: { [list]: ids } });
}

/** Notes that a member verified the card's line (a confirmation or a call that got through). */
export async function markPhoneVerified(contactId: Types.ObjectId, verification: { at: Date; by: Types.ObjectId; method: string }): Promise<void> {
  await Contact.updateOne({ _id: contactId }, { $set: { 'verified.phone': verification, lastVerifiedAt: verification.at } });
}

/** Voids the agent's links issued up to `at` (the agent withdrew). */
export async function revokeAgentLinksOf(contactId: Types.ObjectId, at: Date): Promise<void> {
  await Contact.updateOne({ _id: contactId }, { $set: { agentLinksRevokedAt: at } });
}

/** Every card in these states, read in batches (a job's full read: freshness, campaigns). */
export async function* contactsInStates(states: ContactState[], filter: { kind?: 'agent' | 'service_line' } = {}): AsyncGenerator<ContactDoc> {
  for await (const c of Contact.find({ state: { $in: states }, ...filter }).lean<ContactDoc[]>().cursor({ batchSize: 2000 })) {
    yield c as unknown as ContactDoc;
  }
}

/** Marks a campaign mail as being sent, conditionally on the card as read: false when another run (or an edit) came first. */
export async function claimCampaignSend(c: ContactDoc, now: Date): Promise<boolean> {
  const claimed = await Contact.updateOne({ _id: c._id, email: c.email, agentCampaignSentAt: c.agentCampaignSentAt ?? null }, { $set: { agentCampaignSentAt: now } });
  return claimed.modifiedCount > 0;
}

/** Undoes claimCampaignSend() after a passing failure: the card is due again next run. */
export async function releaseCampaignSend(c: ContactDoc, claimedAt: Date): Promise<void> {
  await Contact.updateOne(
    { _id: c._id, agentCampaignSentAt: claimedAt },
    c.agentCampaignSentAt ? { $set: { agentCampaignSentAt: c.agentCampaignSentAt } } : { $unset: { agentCampaignSentAt: 1 } },
  );
}

/** How many cards there are, from the collection's metadata (no scan). */
export async function estimatedContactCount(): Promise<number> {
  return Contact.estimatedDocumentCount();
}

/** How many cards are in these states (a job's count: the search reindex). */
export async function countContactsInStates(states: ContactState[]): Promise<number> {
  return Contact.countDocuments({ state: { $in: states } });
}

/** A batch of cards whose search document is out of date (`searchDirty`), for the search sync's full pass. */
export async function contactsMarkedForSearch(limit: number): Promise<ContactDoc[]> {
  return Contact.find({ searchDirty: true }).limit(limit).lean<ContactDoc[]>();
}

/** Clears the search marks of cards the search sync pushed, only where the revision is still the one it read. */
export async function clearContactSearchMarks(pushed: Array<Pick<ContactDoc, '_id' | 'revision'>>): Promise<void> {
  if (!pushed.length) return;
  await Contact.bulkWrite(
    pushed.map((c) => ({
      updateOne: { filter: { _id: c._id, revision: c.revision }, update: { $set: { searchDirty: false, indexedRevision: c.revision } }, timestamps: false },
    })),
  );
}

/** Cards by id, as many as given (the search sync's batches), in no particular order. */
export async function contactsWithIds(ids: Types.ObjectId[]): Promise<ContactDoc[]> {
  return ids.length ? Contact.find({ _id: { $in: ids } }).lean<ContactDoc[]>() : [];
}
