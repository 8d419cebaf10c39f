/**
 * Full rebuild: every index is rebuilt into a fresh one from the database,
 * then swapped in atomically (swapIndexes), so search never goes empty.
 * Writes made during the rebuild stay `searchDirty` and are pushed again by
 * the sync worker after the swap.
 */
import type { AgencyDoc } from '../agencies/agency.model';
import { allAgencies } from '../agencies/agencies.service';
import { contactsInStates, countContactsInStates } from '../contacts/contact-store';
import { logger } from '../core/logger';
import { agenciesIndex, contactsIndex, INDEXED_STATES, toAgencyDocument, toSearchDocument } from './contact-index';
import { type IndexDefinition, indexUid, meili } from './meili-client';

const log = logger('search');
const BATCH = 5000;
const TIMEOUT = 600_000;

export type Progress = (done: number, total: number, label: string) => void;

async function ok(task: { waitTask(o: { timeout: number }): Promise<{ status: string; error?: { message: string } | null }> }) {
  const done = await task.waitTask({ timeout: TIMEOUT });
  if (done.status !== 'succeeded') throw new Error(`Meilisearch: ${done.error?.message ?? done.status}`);
}

async function rebuild<T>(def: IndexDefinition, total: number, batches: AsyncIterable<T[]>, label: string, progress: Progress): Promise<void> {
  const client = meili();
  const main = indexUid(def.name);
  const tmp = indexUid(`${def.name}_rebuild_${Date.now()}`);
  const existing = await client.createIndex(main, { primaryKey: def.primaryKey }).waitTask({ timeout: TIMEOUT });
  if (existing.status === 'failed' && existing.error?.code !== 'index_already_exists') throw new Error(existing.error?.message);
  await ok(client.createIndex(tmp, { primaryKey: def.primaryKey }));
  await ok(client.index(tmp).updateSettings(def.settings));
  let done = 0;
  const tasks = [];
  progress(0, total, label);
  for await (const docs of batches) {
    if (docs.length) tasks.push(client.index(tmp).addDocuments(docs as Record<string, unknown>[], { primaryKey: def.primaryKey }));
    done += docs.length;
    progress(done, total, label);
  }
  for (const t of tasks) await ok(t);
  await ok(client.swapIndexes([{ indexes: [main, tmp], rename: false }]));
  await ok(client.deleteIndex(tmp));
}

async function* contactBatches(agencies: Map<string, AgencyDoc>) {
  let batch = [];
  for await (const c of contactsInStates([...INDEXED_STATES])) {
    const agency = agencies.get(String(c.agencyId));
    const doc = agency && toSearchDocument(c, agency);
    if (doc) batch.push(doc);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  yield batch;
}

async function* once<T>(items: T[]) {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

/** Rebuilds the agencies and contacts indexes. Returns the counts and the time taken. */
export async function reindexAll(progress: Progress = () => undefined): Promise<{ agencies: number; contacts: number; seconds: number }> {
  const started = Date.now();
  const agencyDocs = await allAgencies();
  const agencies = new Map(agencyDocs.map((a) => [String(a._id), a]));
  const agencySearchDocs = agencyDocs.map(toAgencyDocument).filter((d) => d !== undefined);
  await rebuild(agenciesIndex, agencySearchDocs.length, once(agencySearchDocs), 'organismes', progress);
  const total = await countContactsInStates([...INDEXED_STATES]);
  await rebuild(contactsIndex, total, contactBatches(agencies), 'contacts', progress);
  const seconds = (Date.now() - started) / 1000;
  log.info({ agencies: agencySearchDocs.length, contacts: total, seconds }, 'reindex done');
  return { agencies: agencySearchDocs.length, contacts: total, seconds };
}
