/**
 * Writes that span several documents, without transactions
 * (docs/contact-lifecycle.md, « No half-stored write »): the writer notes the
 * work before its first write and clears the note after its last, so a crash
 * or a database outage in between leaves a note that the repair job
 * (jobs/repair.ts) finishes within minutes — at start and every two minutes.
 * Notes are keyed sets (core/lookup.ts): an `_id` lookup each, never a scan.
 */
import type { Types } from 'mongoose';
import { addToSets, idsInSets, LOOKUP_READ_LIMIT, removeFromSets } from './lookup';

/**
 * review: a contact entered review (its new-contact item may be missing);
 * revision: a suggested edit was stored (its edit item may be missing);
 * report: a report was opened (its report item may be missing);
 * account: a usefulness vote came with an account to read (its item may be missing);
 * signals: a signal was stored (the card's counters and states may not be recomputed);
 * publication: a moderator published a card (its new agency's approval and the agent's information e-mail may be missing);
 * recheck: a card turned « à vérifier » by a job or the calls (its author's re-check request, or its item, may be missing).
 */
export type UnfinishedKind = 'review' | 'revision' | 'report' | 'account' | 'signals' | 'publication' | 'recheck';
export const UNFINISHED_KINDS: readonly UnfinishedKind[] = ['review', 'revision', 'report', 'account', 'signals', 'publication', 'recheck'];

const keyOf = (kind: UnfinishedKind) => `unfinished:${kind}`;

export const noteUnfinished = (kind: UnfinishedKind, id: Types.ObjectId) => addToSets([keyOf(kind)], id);
export const clearUnfinished = (kind: UnfinishedKind, id: Types.ObjectId) => removeFromSets([keyOf(kind)], id);
export const unfinishedIds = (kind: UnfinishedKind, limit = LOOKUP_READ_LIMIT) => idsInSets([keyOf(kind)], limit);

/** Runs `work` under a note: cleared only when every write of `work` went through. */
export async function finishing<T>(kind: UnfinishedKind, id: Types.ObjectId, work: () => Promise<T>): Promise<T> {
  await noteUnfinished(kind, id);
  const result = await work();
  // The work is done: a note that cannot be cleared now is cleared by the repair, the answer stays a success.
  await clearUnfinished(kind, id).catch(() => undefined);
  return result;
}
