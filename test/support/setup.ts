/**
 * Mocha root hooks: start the real services once, connect the app's modules
 * to them, and give each test file clean collections and its own index prefix.
 */
import mongoose from 'mongoose';
import { config } from '../../src/config';
import { connectDatabase, disconnectDatabase } from '../../src/core/db';
import { applyIndexSettings, connectSearch, disconnectSearch, meili, setIndexPrefix } from '../../src/search/meili-client';
import { startTestServices, stopTestServices, testServices } from './services';

if (!config.isTest) {
  throw new Error('Run the tests with NODE_ENV=test (npm test does).');
}

let currentFile: string | undefined;
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

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(15 * 60_000); // the very first run compiles FerretDB
    const s = await startTestServices();
    await connectDatabase(s.database.url);
    connectSearch({ host: s.search.url, apiKey: s.search.apiKey, prefix: config.meili.indexPrefix });
  },
  async beforeEach(this: Mocha.Context) {
    const file = this.currentTest?.file;
    if (file === currentFile) return;
    currentFile = file;
    this.timeout(60_000);
    await resetDatabase();
    await resetSearch();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await disconnectSearch();
    await disconnectDatabase();
    await stopTestServices();
  },
};

export { testServices };
