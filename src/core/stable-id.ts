/**
 * Deterministic ObjectIds for documents there is one of per pair (a member's
 * vote on a card, their confirmation): the id is computed from the pair, so
 * finding or upserting it is an `_id` lookup (docs/data-access.md).
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';

export function stableId(kind: string, ...parts: Array<Types.ObjectId | string>): Types.ObjectId {
  const digest = createHash('sha256').update([kind, ...parts.map(String)].join('\u0000')).digest();
  return new Types.ObjectId(digest.subarray(0, 12));
}
