/**
 * Putting things in front of moderators: one open item per target, reasons
 * joining it, priority from type, age and report score. Other features call
 * enqueue(); resolving happens in moderation.service.ts.
 */
import { Types } from 'mongoose';
import { logger } from '../core/logger';
import { ITEM_TYPES, type ItemType, QueueItem, type QueueItemDoc, type TargetType } from './queue-item.model';

const log = logger('moderation');
const DAY = 24 * 3600 * 1000;

/** Priority = type base + 2 per day of age + 5 per point of report score. */
export function priorityOf(type: ItemType, createdAt: Date, reportScore: number, now = new Date()): number {
  return ITEM_TYPES[type].base + 2 * Math.floor((now.getTime() - createdAt.getTime()) / DAY) + 5 * reportScore;
}

export interface EnqueueInput {
  type: ItemType;
  targetType: TargetType;
  targetId: Types.ObjectId | string;
  contactId?: Types.ObjectId | string;
  region: string;
  reason: { code: string; label: string };
  createdBy?: Types.ObjectId | string;
  reportScore?: number;
}

/**
 * Opens an item for the target, or adds the reason to the open one (a more
 * urgent type takes over). Safe against two callers at once (unique openKey).
 */
export async function enqueue(input: EnqueueInput, now = new Date()): Promise<QueueItemDoc> {
  const openKey = `${input.targetType}:${input.targetId}`;
  const reason = { ...input.reason, at: now };
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await QueueItem.findOne({ openKey }).lean<QueueItemDoc>();
    if (existing) {
      const type = ITEM_TYPES[input.type].base > ITEM_TYPES[existing.type as ItemType].base ? input.type : (existing.type as ItemType);
      const reportScore = Math.max(existing.reportScore ?? 0, input.reportScore ?? 0);
      const updated = await QueueItem.findOneAndUpdate(
        { _id: existing._id, version: existing.version },
        {
          $set: { type, reportScore, priority: priorityOf(type, existing.createdAt, reportScore, now) },
          $push: { reasons: reason, timeline: { at: now, action: 'reason_added', detail: input.reason.label } },
          $inc: { version: 1 },
        },
        { returnDocument: 'after' },
      ).lean<QueueItemDoc>();
      if (updated) return updated;
      continue;
    }
    try {
      const created = await QueueItem.create({
        type: input.type,
        targetType: input.targetType,
        targetId: new Types.ObjectId(String(input.targetId)),
        contactId: input.contactId ? new Types.ObjectId(String(input.contactId)) : undefined,
        region: input.region,
        reasons: [reason],
        reportScore: input.reportScore ?? 0,
        priority: priorityOf(input.type, now, input.reportScore ?? 0, now),
        status: 'open',
        openKey,
        createdBy: input.createdBy ? new Types.ObjectId(String(input.createdBy)) : undefined,
        timeline: [{ at: now, action: 'opened', detail: input.reason.label }],
      });
      log.info({ type: input.type, region: input.region }, 'queue item opened');
      return created.toObject() as QueueItemDoc;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
  throw new Error('enqueue: contention on the same target');
}

/** Closes the open item of a target without a moderator decision (e.g. the applicant deleted their account). */
export async function closeItemsOf(targetType: TargetType, targetId: Types.ObjectId | string, action: string, now = new Date()): Promise<void> {
  await QueueItem.updateMany(
    { openKey: `${targetType}:${targetId}` },
    { $set: { status: 'resolved', resolution: { action, at: now } }, $unset: { openKey: 1 }, $inc: { version: 1 }, $push: { timeline: { at: now, action } } },
  );
}
