/** The only writer of the audit log: appends one event. */
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
