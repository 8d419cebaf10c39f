/**
 * Search is ready when the app says it is ready (docs/search.md « 6. Search is ready when the app says so »). At
 * start-up, before « prête »: an index that is missing or empty while the
 * database holds contacts or agencies (a new or wiped search engine, a
 * restored database) is rebuilt, and the engine's queue for the app's indexes
 * (settings, pushes, a rebuild) is waited for, so the first search answers
 * from everything the database held at start.
 */
import { estimatedAgencyCount } from '../agencies/agencies.service';
import { estimatedContactCount } from '../contacts/contact-store';
import { logger } from '../core/logger';
import { agenciesIndex, contactsIndex } from './contact-index';
import { engineErrorCode, indexUid, meili } from './meili-client';
import { places } from './places';
import { reindexAll } from './reindex';

const log = logger('search');

/** Documents in an index, or 0 when it does not exist. */
async function documentsIn(name: string): Promise<number> {
  try {
    return (await meili().index(indexUid(name)).getStats()).numberOfDocuments;
  } catch (err) {
    if (engineErrorCode(err) === 'index_not_found') return 0;
    throw err;
  }
}

/** True when an index is empty while the database has what it should hold (counts from collection metadata: no scan). */
export async function searchIndexMissing(): Promise<boolean> {
  const [contacts, agencies] = await Promise.all([estimatedContactCount(), estimatedAgencyCount()]);
  const [indexedContacts, indexedAgencies] = await Promise.all([documentsIn(contactsIndex.name), documentsIn(agenciesIndex.name)]);
  return (contacts > 0 && indexedContacts === 0) || (agencies > 0 && indexedAgencies === 0);
}

/** Resolves when the engine has no task waiting or running on the app's indexes, or after `timeoutMs` (false then). */
export async function waitForSearchIdle(timeoutMs = 120_000): Promise<boolean> {
  const indexUids = [indexUid(contactsIndex.name), indexUid(agenciesIndex.name)];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await meili().tasks.getTasks({ statuses: ['enqueued', 'processing'], indexUids, limit: 1 });
    if (!pending.results.length) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Rebuilds a missing index and waits for the engine, then returns. Never
 * throws: a search engine that does not answer leaves search degraded, not
 * the app stopped.
 */
export async function ensureSearchReady(say: (line: string) => void): Promise<void> {
  // The gazetteer of places is built once (a few hundred ms): now, not during the first search.
  places();
  try {
    if (await searchIndexMissing()) {
      say('Index de recherche vide : reconstruction depuis la base de données…');
      const { contacts, seconds } = await reindexAll();
      say(`Index de recherche reconstruit : ${contacts} fiches en ${seconds.toFixed(1)} s.`);
    }
    if (!(await waitForSearchIdle())) say('Le moteur de recherche indexe encore : les résultats seront complets dans quelques instants.');
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'search not checked at start-up; search runs degraded until it answers');
  }
}
