/**
 * Putting things in front of moderators: one open item per target, reasons
 * joining it, priority from type, age and report score. Other features call
 * enqueue(); moderation.service.ts decides, through the writes below (the
 * model stays private to this folder).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Types } from 'mongoose';
import { addToSets, idsInSets, LOOKUP_READ_LIMIT, removeFromSets } from '../core/lookup';
import { logger } from '../core/logger';
import { listRegions } from '../reference/territories';
import { ITEM_TYPES, type ItemType, QueueItem, type QueueItemDoc, type TargetType } from './queue-item.model';
import { isDuplicateKey } from '../core/db';
import { unavailable } from '../core/errors';

export { ITEM_TYPES, OVERDUE_DAYS, TARGET_TYPES, type ItemType, type QueueItemDoc, type TargetType } from './queue-item.model';

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
  /** Screening flags of the free text behind this reason (field and detector, never the text). */
  screeningFlags?: Array<{ field: string; kind: string }>;
}

/**
 * Keyed sets (core/lookup.ts) instead of queries on the growing collection of
 * items (docs/data-access.md): the open item of a target, and the open items
 * of a région. An id is added before its item is written and removed after it
 * closes; readers check `status` and `openKey`, so a stale id is harmless.
 */
const openItemKey = (openKey: string) => `queue-open:${openKey}`;
const regionQueueKey = (region: string) => `queue-region:${region}`;
export const openKeyOf = (targetType: TargetType, targetId: Types.ObjectId | string) => `${targetType}:${targetId}`;

/** The open item of a target, if any. */
export async function findOpenItem(openKey: string): Promise<QueueItemDoc | undefined> {
  const ids = await idsInSets([openItemKey(openKey)], 20);
  if (!ids.length) return undefined;
  const items = await QueueItem.find({ _id: { $in: ids } }).lean<QueueItemDoc[]>();
  return items.find((i) => i.status === 'open' && i.openKey === openKey);
}

/** The open items of many targets at once (one read of their sets, then the items by `_id` in batches). */
export async function findOpenItems(openKeys: string[]): Promise<Map<string, QueueItemDoc>> {
  const out = new Map<string, QueueItemDoc>();
  for (let i = 0; i < openKeys.length; i += 500) {
    const keys = openKeys.slice(i, i + 500);
    const ids = await idsInSets(keys.map(openItemKey), Number.MAX_SAFE_INTEGER);
    for (let j = 0; j < ids.length; j += LOOKUP_READ_LIMIT) {
      for (const item of await QueueItem.find({ _id: { $in: ids.slice(j, j + LOOKUP_READ_LIMIT) } }).lean<QueueItemDoc[]>()) {
        if (item.status === 'open' && item.openKey && keys.includes(item.openKey)) out.set(item.openKey, item);
      }
    }
  }
  return out;
}

/** Every open item of these régions (all of them when `regions` is undefined). */
export async function listOpenItems(regions?: readonly string[]): Promise<QueueItemDoc[]> {
  const keys = (regions ?? listRegions().map((r) => r.code)).map(regionQueueKey);
  const ids = await idsInSets(keys, Number.MAX_SAFE_INTEGER);
  const items: QueueItemDoc[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP_READ_LIMIT) {
    items.push(...(await QueueItem.find({ _id: { $in: ids.slice(i, i + LOOKUP_READ_LIMIT) } }).lean<QueueItemDoc[]>()));
  }
  return items.filter((i) => i.status === 'open' && (!regions || regions.includes(i.region)));
}

type SetMember = Pick<QueueItemDoc, '_id' | 'region' | 'targetType' | 'targetId'>;

/** The sets an open item belongs to: its target's and its région's (also used by the rebuild). */
export const openItemKeys = (item: Omit<SetMember, '_id'>) => [openItemKey(openKeyOf(item.targetType as TargetType, item.targetId)), regionQueueKey(item.region)];

/** Drops a closed item from the sets of open items. */
export async function forgetClosedItem(item: SetMember): Promise<void> {
  await removeFromSets(openItemKeys(item), item._id);
}

/** Puts a reopened item back in the sets of open items. */
export async function rememberOpenItem(item: SetMember): Promise<void> {
  await addToSets(openItemKeys(item), item._id);
}

/**
 * Opens an item for the target, or adds the reason to the open one (a more
 * urgent type takes over). Safe against two callers at once (unique openKey).
 */
const ENQUEUE_ATTEMPTS = 10;

export async function enqueue(input: EnqueueInput, now = new Date()): Promise<QueueItemDoc> {
  const openKey = openKeyOf(input.targetType, input.targetId);
  const reason = { ...input.reason, at: now };
  for (let attempt = 0; attempt < ENQUEUE_ATTEMPTS; attempt++) {
    // Others write the same item at this instant (reports, accounts, a hand-over…): a short random pause spreads the retries.
    if (attempt > 0) await sleep(5 + Math.random() * 20 * attempt);
    const existing = await findOpenItem(openKey);
    if (existing) {
      const type = ITEM_TYPES[input.type].base > ITEM_TYPES[existing.type].base ? input.type : existing.type;
      const reportScore = Math.max(existing.reportScore ?? 0, input.reportScore ?? 0);
      const updated = await QueueItem.findOneAndUpdate(
        { _id: existing._id, version: existing.version },
        {
          $set: { type, reportScore, priority: priorityOf(type, existing.createdAt, reportScore, now) },
          $push: {
            reasons: reason,
            timeline: { at: now, action: 'reason_added', detail: input.reason.label },
            screeningFlags: { $each: input.screeningFlags ?? [] },
          },
          $inc: { version: 1 },
        },
        { returnDocument: 'after' },
      ).lean<QueueItemDoc>();
      if (updated) return updated;
      continue;
    }
    const _id = new Types.ObjectId();
    const targetId = new Types.ObjectId(String(input.targetId));
    await rememberOpenItem({ _id, region: input.region, targetType: input.targetType, targetId });
    try {
      const created = await QueueItem.create({
        _id,
        type: input.type,
        targetType: input.targetType,
        targetId,
        contactId: input.contactId ? new Types.ObjectId(String(input.contactId)) : undefined,
        region: input.region,
        reasons: [reason],
        screeningFlags: input.screeningFlags ?? [],
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
      await forgetClosedItem({ _id, region: input.region, targetType: input.targetType, targetId });
      if (!isDuplicateKey(err)) throw err;
    }
  }
  // Rare: many writers on one target at once. A French 503, not a 500; the writes' notes let the repair add the reason later.
  throw unavailable('Cet élément de modération est très sollicité en ce moment : réessayez dans un instant.', 'busy');
}

/** Closes the open item of a target without a moderator decision (e.g. the applicant deleted their account). */
export async function closeItemsOf(targetType: TargetType, targetId: Types.ObjectId | string, action: string, now = new Date()): Promise<void> {
  const item = await findOpenItem(openKeyOf(targetType, targetId));
  if (!item) return;
  await QueueItem.updateOne(
    { _id: item._id, status: 'open' },
    { $set: { status: 'resolved', resolution: { action, at: now } }, $unset: { openKey: 1 }, $inc: { version: 1 }, $push: { timeline: { at: now, action } } },
  );
  await forgetClosedItem(item);
}

/** Whoever acts on an item (a moderator: `core/policy` Actor's id and name). */
export interface ItemActor {
  id: string;
  displayName: string;
}

/** An item by id; undefined for an unknown or malformed id. */
export async function getItem(id: string): Promise<QueueItemDoc | undefined> {
  return (Types.ObjectId.isValid(id) && (await QueueItem.findById(id).lean<QueueItemDoc>())) || undefined;
}

/** Marks an open item taken by a moderator until `until`, so colleagues see someone is on it. */
export async function claimItem(itemId: Types.ObjectId, by: ItemActor, until: Date, now = new Date()): Promise<void> {
  const byId = new Types.ObjectId(by.id);
  await QueueItem.updateOne(
    { _id: itemId, status: 'open' },
    {
      $set: { claim: { by: byId, byName: by.displayName, until } },
      $push: { timeline: { at: now, action: 'claimed', by: byId, byName: by.displayName } },
      $inc: { version: 1 },
    },
  );
}

/** Adds a private moderator note to an item. */
export async function addItemNote(itemId: Types.ObjectId, by: ItemActor, text: string, at = new Date()): Promise<void> {
  await QueueItem.updateOne({ _id: itemId }, { $push: { notes: { by: new Types.ObjectId(by.id), byName: by.displayName, text, at } }, $inc: { version: 1 } });
}

/**
 * Resolves an open item, conditionally on the version its decider read: the
 * resolved item, or null when someone changed or decided it first.
 */
export async function resolveItem(
  itemId: Types.ObjectId,
  version: number,
  d: { action: string; by: ItemActor; reason?: string; detail?: string },
  now = new Date(),
): Promise<QueueItemDoc | null> {
  const byId = new Types.ObjectId(d.by.id);
  const resolved = await QueueItem.findOneAndUpdate(
    { _id: itemId, version, status: 'open' },
    {
      $set: { status: 'resolved', resolution: { action: d.action, by: byId, byName: d.by.displayName, at: now, reason: d.reason } },
      $unset: { openKey: 1 },
      $inc: { version: 1 },
      $push: { timeline: { at: now, action: d.action, by: byId, byName: d.by.displayName, detail: d.detail } },
    },
    { returnDocument: 'after' },
  ).lean<QueueItemDoc>();
  if (resolved) await forgetClosedItem(resolved);
  return resolved;
}

/** Opens again an item resolveItem() just closed (its decision failed: no transactions). */
export async function reopenItem(item: QueueItemDoc): Promise<void> {
  await rememberOpenItem(item);
  await QueueItem.updateOne(
    { _id: item._id, version: item.version },
    { $set: { status: 'open', openKey: openKeyOf(item.targetType as TargetType, item.targetId) }, $unset: { resolution: 1 }, $inc: { version: 1 } },
  );
}

/** Notes that the moderators were told these items are overdue. */
export async function markOverdueNotified(ids: Types.ObjectId[], now = new Date()): Promise<void> {
  if (ids.length) await QueueItem.updateMany({ _id: { $in: ids } }, { $set: { overdueNotifiedAt: now } });
}

/** Notes that these items were escalated to the admins. */
export async function markEscalated(ids: Types.ObjectId[], now = new Date()): Promise<void> {
  if (ids.length) await QueueItem.updateMany({ _id: { $in: ids } }, { $set: { escalatedAt: now }, $push: { timeline: { at: now, action: 'escalated' } } });
}

/** Every open item's keyed sets (for jobs/rebuild-keys.ts): calls `add` once per item. */
export async function eachOpenItemKeys(add: (keys: string[], id: Types.ObjectId) => void): Promise<void> {
  for await (const i of QueueItem.find({ status: 'open' }).lean<QueueItemDoc[]>().cursor({ batchSize: 2000 })) {
    const item = i as unknown as QueueItemDoc;
    add(openItemKeys(item), item._id);
  }
}
