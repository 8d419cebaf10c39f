/**
 * Mocha root hooks: start the real services once, connect the app's modules
 * to them, and give each test file clean collections and its own index prefix.
 */
import mongoose from 'mongoose';
import { config } from '../../src/config';
import { connectDatabase, disconnectDatabase } from '../../src/core/db';
import '../../src/search/contact-index';
import { clearThresholdsCache } from '../../src/settings/thresholds';
import { resetSearchSync } from '../../src/search/indexer';
import { applyIndexSettings, connectSearch, disconnectSearch, meili, setIndexPrefix } from '../../src/search/meili-client';
import { startMailCatcher, stopMailCatcher } from '../../src/mail/mail-catcher';
import { connectMailer, disconnectMailer } from '../../src/mail/mailer';
import { removeTestServicesFolder, startTestServices, stopTestServices, testServices } from './services';

if (!config.isTest) {
  throw new Error('Run the tests with NODE_ENV=test (npm test does).');
}

let fileCounter = 0;

/** Empties every collection (indexes are kept). */
export async function resetDatabase(): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  for (const collection of await db.collections()) await collection.deleteMany({});
}

/** Gives the current test file a fresh set of search indexes. */
export async function resetSearch(): Promise<void> {
  const prefix = `${config.meili.indexPrefix}${process.pid}_${++fileCounter}_`;
  const previous = await meili().getIndexes({ limit: 1000 });
  for (const index of previous.results) {
    await meili().deleteIndex(index.uid).waitTask({ timeout: 30_000 });
  }
  setIndexPrefix(prefix);
  await applyIndexSettings();
}

/**
 * `npm test` runs the files in two Mocha workers (.mocharc.cjs `parallel`), each
 * with services of its own; a worker runs these hooks once per file, so it starts
 * its services on the first file and keeps them for the next ones. They stop
 * with the worker: every embedded child is bound to its parent's life
 * (src/core/embedded/child.ts). A serial run (one file, --no-parallel) stops
 * them in afterAll, so a handle a test leaves open still shows as a hang.
 */
const inWorker = process.env.MOCHA_WORKER_ID !== undefined;
let servicesUp: Promise<void> | undefined;

async function bringServicesUp(): Promise<void> {
  const s = await startTestServices();
  await connectDatabase(s.database.url, { monitorCommands: true });
  connectSearch({ host: s.search.url, apiKey: s.search.apiKey, prefix: config.meili.indexPrefix });
  connectMailer(await startMailCatcher());
}

if (inWorker) process.once('exit', removeTestServicesFolder);

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(15 * 60_000); // a first run compiles FerretDB (test/support/global-setup.ts does it before the workers start)
    servicesUp ??= bringServicesUp();
    await servicesUp;
    // Each top-level describe (one per test file) starts with clean collections and
    // its own search indexes, before its own before() hooks create fixtures.
    const root = this.test?.parent;
    for (const suite of root?.suites ?? []) {
      suite.beforeAll('clean database and search indexes', async function (this: Mocha.Context) {
        this.timeout(60_000);
        // A search sync (or its retry timer) from the previous file must not write into this one's data.
        await resetSearchSync();
        await resetDatabase();
        clearThresholdsCache();
        await resetSearch();
      });
      const hooks = (suite as unknown as { _beforeAll: unknown[] })._beforeAll;
      hooks.unshift(hooks.pop());
    }
  },
  async afterAll(this: Mocha.Context) {
    if (inWorker) return;
    this.timeout(60_000);
    servicesUp = undefined;
    disconnectMailer();
    await stopMailCatcher();
    await disconnectSearch();
    await disconnectDatabase();
    await stopTestServices();
  },
};

export { testServices };
