/**
 * Keeps the search indexes in step with the database without transactions or
 * change streams. Every write that changes a search document first marks it in
 * the outbox (search-outbox.ts), then bumps the contact's revision and sets
 * `searchDirty`. This worker pushes marked documents in batches — at once for
 * the ids a writer kicks, and every minute for whatever the outbox still
 * holds — and clears a mark only if nobody marked the document again while it
 * pushed. If Meilisearch is away, writes still succeed: the worker retries with
 * backoff. Nothing here reads more than the outbox and documents by `_id`
 * (docs/data-access.md); only `syncNow()` (tests, scripts) also scans for
 * `searchDirty` documents written without a mark.
 */
import { Types } from 'mongoose';
import { agenciesByIds, agenciesMarkedForSearch, clearAgencySearchMarks } from '../agencies/agencies.service';
import { agencyContactsKey, clearContactSearchMarks, contactsMarkedForSearch, contactsWithIds } from '../contacts/contact-store';
import { idsInSets } from '../core/lookup';
import { logger } from '../core/logger';
import { agenciesIndex, contactsIndex, toAgencyDocument, toSearchDocument } from './contact-index';
import { indexUid, meili } from './meili-client';
import { clearOutbox, markForSearch, type OutboxEntry, outboxObjectId, outboxSize, readOutbox } from './search-outbox';

const log = logger('search');
const BATCH = 1000;
const TASK_TIMEOUT_MS = 120_000;
const MAX_BACKOFF_MS = 30_000;
/** Bulk writes go in chunks of 50 (docs/data-access.md: large update commands on the embedded database). */
const WRITE_CHUNK = 50;

async function inChunks<T>(items: T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_CHUNK) await write(items.slice(i, i + WRITE_CHUNK));
}

let running: Promise<void> | undefined;
let again = false;
/** Contacts a writer just changed: pushed first. */
const pendingIds = new Set<string>();
let outboxPass = false;
let fullScan = false;
let backoffMs = 0;
let retryTimer: NodeJS.Timeout | undefined;
let reconcileTimer: NodeJS.Timeout | undefined;

async function waitOk(task: { waitTask(opts: { timeout: number }): Promise<{ status: string; error?: { message: string } | null }> }) {
  const done = await task.waitTask({ timeout: TASK_TIMEOUT_MS });
  if (done.status !== 'succeeded') throw new Error(`Meilisearch task ${done.status}: ${done.error?.message ?? ''}`);
}

/** Pushes these agencies (or, in a full scan, a batch of `searchDirty` ones). Returns how many were handled. */
async function syncAgencies(entries?: OutboxEntry[]): Promise<number> {
  const dirty = entries
    ? entries.length
      ? await agenciesByIds(entries.map((e) => outboxObjectId(e._id)))
      : []
    : await agenciesMarkedForSearch(BATCH);
  if (dirty.length) {
    const docs = dirty.map(toAgencyDocument);
    const index = meili().index(indexUid(agenciesIndex.name));
    const upserts = docs.filter((d) => d !== undefined);
    const removals = dirty.filter((_a, i) => !docs[i]).map((a) => String(a._id));
    if (upserts.length) await waitOk(index.addDocuments(upserts, { primaryKey: 'id' }));
    if (removals.length) await waitOk(index.deleteDocuments(removals));
    // Contact documents carry the agency's name and commune: push them again too.
    for (const a of dirty) await markForSearch('c', await idsInSets([agencyContactsKey(a._id)], Number.MAX_SAFE_INTEGER));
    await inChunks(dirty, clearAgencySearchMarks);
    outboxPass = true;
  }
  if (entries) await clearOutbox(entries);
  return entries?.length ?? dirty.length;
}

/**
 * Pushes exactly these contacts (an `_id` lookup), or in a full scan a batch
 * of `searchDirty` ones, and clears their outbox marks. Returns how many were handled.
 */
async function syncContacts(ids?: Types.ObjectId[]): Promise<number> {
  const marks = ids ? await readOutbox('c', ids) : [];
  const dirty = ids
    ? ids.length
      ? await contactsWithIds(ids)
      : []
    : await contactsMarkedForSearch(BATCH);
  const found = new Set(dirty.map((c) => String(c._id)));
  const upserts = [];
  const removals: string[] = (ids ?? []).map(String).filter((id) => !found.has(id));
  if (dirty.length) {
    const agencyIds = [...new Set(dirty.map((c) => String(c.agencyId)))].map((id) => new Types.ObjectId(id));
    const agencies = new Map((await agenciesByIds(agencyIds)).map((a) => [String(a._id), a]));
    for (const c of dirty) {
      const agency = agencies.get(String(c.agencyId));
      const doc = agency ? toSearchDocument(c, agency) : undefined;
      if (doc) upserts.push(doc);
      else removals.push(String(c._id));
    }
  }
  const index = meili().index(indexUid(contactsIndex.name));
  if (upserts.length) await waitOk(index.addDocuments(upserts, { primaryKey: 'id' }));
  if (removals.length) await waitOk(index.deleteDocuments(removals));
  // Clear only where nobody wrote since we read: a newer revision stays dirty, a newer mark stays in the outbox.
  await inChunks(
    dirty.filter((c) => c.searchDirty),
    clearContactSearchMarks,
  );
  await clearOutbox(marks);
  return ids?.length ?? dirty.length;
}

/** One pass over the outbox: whatever was marked and not pushed (a lost kick, a crash, an outage). */
async function syncOutbox(): Promise<void> {
  for (;;) {
    const agencies = await readOutbox('a', undefined, BATCH);
    if (agencies.length) await syncAgencies(agencies);
    const contacts = await readOutbox('c', undefined, BATCH);
    if (contacts.length) await syncContacts(contacts.map((e) => outboxObjectId(e._id)));
    if (agencies.length < BATCH && contacts.length < BATCH) return;
  }
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
    if (outboxPass) {
      outboxPass = false;
      try {
        await syncOutbox();
      } catch (err) {
        outboxPass = true;
        throw err;
      }
    }
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
 * just those contacts; without, everything the outbox holds (the
 * reconciler's way). Never throws.
 */
export function kickSearchSync(ids?: Array<Types.ObjectId | string>): void {
  if (ids) for (const id of ids) pendingIds.add(String(id));
  else outboxPass = true;
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
  outboxPass = true;
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

/** The reconciler: an outbox pass every `intervalMs`, catching writes whose kick was lost (crash, restart, outage). */
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
  outboxPass = false;
  fullScan = false;
  backoffMs = 0;
}

/** How many documents wait for the index: the outbox's size (health and tests). */
export async function pendingSearchSync(): Promise<{ contacts: number; agencies: number }> {
  return outboxSize();
}
