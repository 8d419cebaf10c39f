/**
 * Brings up what the app needs: the database and the search engine, either
 * external (MONGODB_URL, MEILI_URL) or embedded under DATA_DIR; then connects
 * Mongoose (waiting for every index) and applies the search index settings.
 */
import { join } from 'node:path';
import { config } from './config';
import { connectDatabase, disconnectDatabase } from './core/db';
import { startFerretDB } from './core/embedded/ferretdb';
import { startMeilisearch } from './core/embedded/meilisearch';
import { logger } from './core/logger';
import { applyIndexSettings, connectSearch, disconnectSearch } from './search/meili-client';

const log = logger('lifecycle');

export interface Services {
  mongoUrl: string;
  search: { host: string; apiKey?: string };
  embedded: { database: boolean; search: boolean };
  stop(): Promise<void>;
}

export type Say = (line: string) => void;

/** Starts or reaches both services. Stops whatever it started if anything fails. */
export async function startServices(say: Say): Promise<Services> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log.warn({ err }, 'stop failed'));
  };
  try {
    let mongoUrl = config.mongo.url;
    if (!mongoUrl) {
      const db = await startFerretDB({
        root: config.paths.root,
        cacheDir: config.paths.cache,
        dir: join(config.paths.data, 'db'),
        dbName: 'ligne-directe',
        say,
      });
      stops.push(db.stop);
      mongoUrl = db.url;
      say(`Base de données embarquée (FerretDB/SQLite) prête sur 127.0.0.1:${db.port}.`);
    }

    let search = { host: config.meili.url ?? '', apiKey: config.meili.masterKey };
    if (!config.meili.url) {
      const meili = await startMeilisearch({ dir: join(config.paths.data, 'meili') });
      stops.push(meili.stop);
      search = { host: meili.url, apiKey: meili.apiKey };
      say(`Moteur de recherche embarqué (Meilisearch 1.21) prêt sur 127.0.0.1:${meili.port}.`);
    }

    await connectDatabase(mongoUrl);
    stops.push(disconnectDatabase);
    connectSearch({ host: search.host, apiKey: search.apiKey, prefix: config.meili.indexPrefix });
    stops.push(disconnectSearch);
    try {
      await applyIndexSettings();
    } catch (err) {
      // An unreachable external search engine must not stop the directory: search degrades.
      if (!config.meili.url) throw err;
      log.warn({ err }, 'search settings not applied; search runs degraded until it answers');
    }
    return {
      mongoUrl,
      search,
      embedded: { database: !config.mongo.url, search: !config.meili.url },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
