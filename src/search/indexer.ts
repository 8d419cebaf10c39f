/**
 * Keeps the search indexes in step with the database without transactions or
 * change streams: every write marks the document `searchDirty` (and bumps the
 * contact's revision); this worker pushes dirty documents in batches and
 * clears the flag only if the revision it pushed is still the current one.
 * If Meilisearch is away, writes still succeed: the worker retries with
 * backoff, and the periodic reconciler catches anything missed.
 */
import { Types } from 'mongoose';
import { Agency, type AgencyDoc } from '../agencies/agency.model';
import { Contact, type ContactDoc } from '../contacts/contact.model';
import { logger } from '../core/logger';
import { agenciesIndex, contactsIndex, toAgencyDocument, toSearchDocument } from './contact-index';
import { indexUid, meili } from './meili-client';

const log = logger('search');
const BATCH = 1000;
const TASK_TIMEOUT_MS = 120_000;
const MAX_BACKOFF_MS = 30_000;
/**
 * FerretDB 1.24 (SQLite) never answers an update command carrying 100 or more
 * statements that match documents, so bulk writes go in chunks of 50.
 */
const WRITE_CHUNK = 50;

async function inChunks<T>(items: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_CHUNK) await write(items.slice(i, i + WRITE_CHUNK));
}

let running: Promise<void> | undefined;
let again = false;
/** Contacts a writer just changed: pushed first, without scanning for dirty documents. */
const pendingIds = new Set<string>();
let fullScan = false;
let backoffMs = 0;
let retryTimer: NodeJS.Timeout | undefined;
let reconcileTimer: NodeJS.Timeout | undefined;

async function waitOk(task: { waitTask(opts: { timeout: number }): Promise<{ status: string; error?: { message: string } | null }> }) {
  const done = await task.waitTask({ timeout: TASK_TIMEOUT_MS });
  if (done.status !== 'succeeded') throw new Error(`Meilisearch task ${done.status}: ${done.error?.message ?? ''}`);
}

/** Pushes one batch of dirty agencies. Returns how many were handled. */
async function syncAgencies(): Promise<number> {
  const dirty = await Agency.find({ searchDirty: true }).limit(BATCH).lean<AgencyDoc[]>();
  if (!dirty.length) return 0;
  const docs = dirty.map(toAgencyDocument);
  const index = meili().index(indexUid(agenciesIndex.name));
  const upserts = docs.filter((d) => d !== undefined);
  const removals = dirty.filter((_a, i) => !docs[i]).map((a) => String(a._id));
  if (upserts.length) await waitOk(index.addDocuments(upserts, { primaryKey: 'id' }));
  if (removals.length) await waitOk(index.deleteDocuments(removals));
  // Contact documents carry the agency's name and commune: refresh them too.
  await Contact.updateMany({ agencyId: { $in: dirty.map((a) => a._id) } }, { $set: { searchDirty: true } });
  await inChunks(dirty, (chunk) =>
    Agency.bulkWrite(chunk.map((a) => ({ updateOne: { filter: { _id: a._id, updatedAt: a.updatedAt }, update: { $set: { searchDirty: false } }, timestamps: false } }))),
  );
  return dirty.length;
}

/**
 * Pushes one batch of dirty contacts, or exactly `ids` (looked up one by one:
 * FerretDB on SQLite pushes only `_id` equality down, so this never scans).
 * Returns how many were handled.
 */
async function syncContacts(ids?: Types.ObjectId[]): Promise<number> {
  const dirty = ids
    ? (await Promise.all(ids.map((id) => Contact.findById(id).lean<ContactDoc>()))).filter((c): c is ContactDoc => !!c)
    : await Contact.find({ searchDirty: true }).limit(BATCH).lean<ContactDoc[]>();
  if (!dirty.length) return 0;
  const agencyIds = [...new Set(dirty.map((c) => String(c.agencyId)))].map((id) => new Types.ObjectId(id));
  const agencies = new Map((await Agency.find({ _id: { $in: agencyIds } }).lean<AgencyDoc[]>()).map((a) => [String(a._id), a]));
  const upserts = [];
  const removals: string[] = [];
  for (const c of dirty) {
    const agency = agencies.get(String(c.agencyId));
    const doc = agency ? toSearchDocument(c, agency) : undefined;
    if (doc) upserts.push(doc);
    else removals.push(String(c._id));
  }
  const index = meili().index(indexUid(contactsIndex.name));
  if (upserts.length) await waitOk(index.addDocuments(upserts, { primaryKey: 'id' }));
  if (removals.length) await waitOk(index.deleteDocuments(removals));
  // Clear only where nobody wrote since we read: a newer revision stays dirty.
  await inChunks(dirty, (chunk) =>
    Contact.bulkWrite(
      chunk.map((c) => ({
        updateOne: { filter: { _id: c._id, revision: c.revision }, update: { $set: { searchDirty: false, indexedRevision: c.revision } }, timestamps: false },
      })),
    ),
  );
  return dirty.length;
}

async function drainPending(): Promise<void> {
  while (pendingIds.size) {
    const ids = [...pendingIds].slice(0, 200);
    for (const id of ids) pendingIds.delete(id);
    try {
      await syncContacts(ids.map((id) => new Types.ObjectId(id)));
    } catch (err) {
      for (const id of ids) pendingIds.add(id);
      throw err;
    }
  }
}

async function drain(): Promise<void> {
  do {
    again = false;
    await drainPending();
    if (fullScan) {
      fullScan = false;
      try {
        while ((await syncAgencies()) > 0);
        while ((await syncContacts()) > 0);
      } catch (err) {
        fullScan = true;
        throw err;
      }
    }
  } while (again || pendingIds.size);
}

function scheduleRetry(): void {
  backoffMs = Math.min(backoffMs ? backoffMs * 2 : 1000, MAX_BACKOFF_MS);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(() => kickSearchSync(), backoffMs);
  retryTimer.unref();
}

/**
 * Starts a sync now (or once more after the running one). With ids, pushes
 * just those contacts; without, scans for every dirty document (the
 * reconciler's way). Never throws.
 */
export function kickSearchSync(ids?: Array<Types.ObjectId | string>): void {
  if (ids) for (const id of ids) pendingIds.add(String(id));
  else fullScan = true;
  if (running) {
    again = true;
    return;
  }
  running = drain()
    .then(() => {
      backoffMs = 0;
    })
    .catch((err) => {
      log.warn({ err: { message: (err as Error).message } }, 'search sync failed; will retry');
      scheduleRetry();
    })
    .finally(() => {
      running = undefined;
    });
}

/** Resolves when the running sync (if any) has finished. */
export async function flushSearchSync(): Promise<void> {
  while (running) await running;
}

/** Runs a sync and resolves when the index holds every write so far (tests, scripts). Throws if Meilisearch fails. */
export async function syncNow(): Promise<void> {
  await flushSearchSync();
  fullScan = true;
  await drain();
}

/** How long a write that must reach the index waits for it before answering anyway. */
export const PUSH_WAIT_MS = 1500;

/**
 * Hands these contacts to the sync first (e.g. an agent's objection must
 * leave search now) and waits for it at most `waitMs`: a slow or frozen
 * Meilisearch never holds the answer, the sync keeps retrying. Never throws.
 */
export async function pushContactsNow(ids: Types.ObjectId[], waitMs = PUSH_WAIT_MS): Promise<void> {
  if (!ids.length) return;
  kickSearchSync(ids);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([flushSearchSync(), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
}

/** The reconciler: a full sync every `intervalMs`, catching writes whose kick was lost (crash, restart). */
export function startSearchReconciler(intervalMs = 60_000): () => void {
  kickSearchSync();
  reconcileTimer = setInterval(() => kickSearchSync(), intervalMs);
  reconcileTimer.unref();
  return () => {
    clearInterval(reconcileTimer);
    clearTimeout(retryTimer);
  };
}

/** Forgets pending work and retry timers (tests, between files whose data is wiped). */
export async function resetSearchSync(): Promise<void> {
  clearTimeout(retryTimer);
  await flushSearchSync();
  pendingIds.clear();
  fullScan = false;
  backoffMs = 0;
}

/** How many documents wait for the index (health and tests). */
export async function pendingSearchSync(): Promise<{ contacts: number; agencies: number }> {
  const [contacts, agencies] = await Promise.all([Contact.countDocuments({ searchDirty: true }), Agency.countDocuments({ searchDirty: true })]);
  return { contacts, agencies };
}
