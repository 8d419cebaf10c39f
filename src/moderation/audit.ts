/** The only writer of the audit log: appends one event. */
import type { Types } from 'mongoose';
import { currentContext } from '../core/request-context';
import type { Actor } from '../core/policy';
import { ModerationEvent } from './moderation-event.model';

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: Types.ObjectId | string;
  contactId?: Types.ObjectId | string;
  itemId?: Types.ObjectId | string;
  region?: string;
  changes?: Array<{ field: string; before: unknown; after: unknown }>;
  reason?: string;
  message?: string;
}

/** Appends an event; `actor` undefined means the system (a job, an agent's objection). */
export async function recordEvent(actor: Actor | undefined, entry: AuditEntry): Promise<void> {
  await ModerationEvent.create({
    ...entry,
    actorId: actor?.id,
    actorName: actor ? actor.displayName : 'Système',
    requestId: currentContext()?.requestId,
  });
}
