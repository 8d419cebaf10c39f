/**
 * The only writer of the audit log (appends one event) and its only reader:
 * the model (moderation-event.model.ts) stays private to this folder.
 */
import { Types } from 'mongoose';
import { addToSets, idsInSets } from '../core/lookup';
import { currentContext } from '../core/request-context';
import type { Actor } from '../core/policy';
import type { AuditAction } from './audit-actions';
import { ModerationEvent, type ModerationEventDoc } from './moderation-event.model';

/** The keyed set (core/lookup.ts) of a contact's events: its history without a scan (docs/data-access.md). */
export const contactEventsKey = (contactId: Types.ObjectId | string) => `audit-contact:${contactId}`;

export interface AuditEntry {
  /** A code of the catalogue (audit-actions.ts). */
  action: AuditAction;
  targetType: string;
  targetId: Types.ObjectId | string;
  contactId?: Types.ObjectId | string;
  itemId?: Types.ObjectId | string;
  region?: string;
  changes?: Array<{ field: string; before: unknown; after: unknown }>;
  reason?: string;
  message?: string;
  /** Who acted when no member did (« L’agent » on the agent's own page); « Système » otherwise. */
  actorName?: string;
}

/** Appends an event; `actor` undefined means the system (a job, an agent's objection). */
export async function recordEvent(actor: Actor | undefined, entry: AuditEntry): Promise<void> {
  const _id = new Types.ObjectId();
  if (entry.contactId) await addToSets([contactEventsKey(entry.contactId)], _id);
  await ModerationEvent.create({
    _id,
    ...entry,
    actorId: actor?.id,
    actorName: actor ? actor.displayName : (entry.actorName ?? 'Système'),
    requestId: currentContext()?.requestId,
  });
}

/** The events of a contact, oldest first (at most `limit`). */
export async function contactEvents(contactId: Types.ObjectId, limit = 500): Promise<ModerationEventDoc[]> {
  const ids = await idsInSets([contactEventsKey(contactId)], limit);
  if (!ids.length) return [];
  const events = await ModerationEvent.find({ _id: { $in: ids } }).lean<ModerationEventDoc[]>();
  return events.filter((e) => e.contactId && contactId.equals(e.contactId)).sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** A filter on the journal's fields (action, actorId, actorName, region, at…), as the admin journal builds it. */
export type EventFilter = Record<string, unknown>;

/** One page of the events a filter matches, newest first, and how many match in all. */
export async function findEvents(filter: EventFilter, skip: number, limit: number): Promise<ModerationEventDoc[]> {
  return ModerationEvent.find(filter).sort({ at: -1, _id: -1 }).skip(skip).limit(limit).lean<ModerationEventDoc[]>();
}

export async function countEvents(filter: EventFilter): Promise<number> {
  return ModerationEvent.countDocuments(filter);
}

/** The events since `at` (action, at, actorId and region only), for counting decisions. */
export async function eventsSince(at: Date): Promise<Array<Pick<ModerationEventDoc, '_id' | 'action' | 'at' | 'actorId' | 'region'>>> {
  return ModerationEvent.find({ at: { $gte: at } })
    .select({ action: 1, at: 1, actorId: 1, region: 1 })
    .lean<Array<Pick<ModerationEventDoc, '_id' | 'action' | 'at' | 'actorId' | 'region'>>>();
}

/** Every contact's events' keyed set (for jobs/rebuild-keys.ts): calls `add` once per event. */
export async function eachContactEventKey(add: (keys: string[], id: Types.ObjectId) => void): Promise<void> {
  for await (const e of ModerationEvent.find({ contactId: { $ne: null } }).select({ contactId: 1 }).lean().cursor({ batchSize: 2000 })) {
    add([contactEventsKey(e.contactId as Types.ObjectId)], e._id as Types.ObjectId);
  }
}
