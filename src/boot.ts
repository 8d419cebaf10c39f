/**
 * Brings up what the app needs: the database and the search engine, either
 * external (MONGODB_URL, MEILI_URL) or embedded under DATA_DIR; then connects
 * Mongoose (waiting for every index) and applies the search index settings.
 * Command-line tools use the same functions for the parts they need.
 */
import { join } from 'node:path';
import { config } from './config';
import { connectDatabase, disconnectDatabase, LONG_SOCKET_TIMEOUT_MS } from './core/db';
import { logger } from './core/logger';
import { dropLegacyRateLimitIndex } from './security/rate-limit.model';
import { connectMailer, disconnectMailer } from './mail/mailer';
import { applyIndexSettings, connectSearch, disconnectSearch } from './search/meili-client';

const log = logger('lifecycle');

export type Say = (line: string) => void;
type Stop = () => Promise<void>;

export interface Services {
  mongoUrl: string;
  search: { host: string; apiKey?: string };
  stop(): Promise<void>;
}

/**
 * Starts (or reaches) the database and connects Mongoose. Command-line tools
 * (reindex, seeds, jobs) get the long per-command deadline.
 */
async function startDatabase(say: Say, stops: Stop[], long: boolean): Promise<string> {
  let url = config.mongo.url;
  if (!url) {
    // Development services are imported only when used: production installs neither get-port nor smtp-server.
    const { startFerretDB } = await import('./core/embedded/ferretdb');
    const db = await startFerretDB({
      root: config.paths.root,
      cacheDir: config.paths.cache,
      dir: join(config.paths.data, 'db'),
      dbName: 'ligne-directe',
      say,
    });
    stops.push(() => db.stop());
    url = db.url;
    say(`Base de données embarquée (FerretDB/SQLite) prête sur 127.0.0.1:${db.port}.`);
  }
  await connectDatabase(url, long ? { socketTimeoutMS: LONG_SOCKET_TIMEOUT_MS } : {});
  stops.push(disconnectDatabase);
  await dropLegacyRateLimitIndex();
  return url;
}

/** Starts (or reaches) Meilisearch, connects the client and applies the index settings. */
async function startSearch(say: Say, stops: Stop[]): Promise<{ host: string; apiKey?: string }> {
  let search = { host: config.meili.url ?? '', apiKey: config.meili.masterKey };
  if (!config.meili.url) {
    const { startMeilisearch } = await import('./core/embedded/meilisearch');
    const meili = await startMeilisearch({ dir: join(config.paths.data, 'meili'), say });
    stops.push(() => meili.stop());
    search = { host: meili.url, apiKey: meili.apiKey };
    say(`Moteur de recherche embarqué (Meilisearch 1.21) prêt sur 127.0.0.1:${meili.port}.`);
  }
  connectSearch({ host: search.host, apiKey: search.apiKey, prefix: config.meili.indexPrefix });
  stops.push(disconnectSearch);
  try {
    await applyIndexSettings();
  } catch (err) {
    // An unreachable external search engine must not stop the directory: search degrades.
    if (!config.meili.url) throw err;
    log.warn({ err }, 'search settings not applied; search runs degraded until it answers');
  }
  return search;
}

/** Connects the mailer to SMTP_URL, or (outside production) to the in-process catcher. */
async function startMail(say: Say, stops: Stop[]): Promise<void> {
  let smtpUrl = config.mail.smtpUrl;
  if (!smtpUrl) {
    const { startMailCatcher, stopMailCatcher } = await import('./mail/mail-catcher');
    smtpUrl = await startMailCatcher();
    stops.push(stopMailCatcher);
    say('E-mails : serveur SMTP interne (les messages sont visibles sur /dev/mails).');
  }
  connectMailer(smtpUrl);
  stops.push(async () => disconnectMailer());
}

async function startParts(say: Say, parts: { search: boolean; mail: boolean; long: boolean }) {
  const stops: Stop[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log.warn({ err }, 'stop failed'));
  };
  try {
    const mongoUrl = await startDatabase(say, stops, parts.long);
    const search = parts.search ? await startSearch(say, stops) : { host: '' };
    if (parts.mail) await startMail(say, stops);
    return { mongoUrl, search, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Everything the web app needs. Stops whatever it started if anything fails. */
export function startServices(say: Say): Promise<Services> {
  return startParts(say, { search: true, mail: true, long: false });
}

/**
 * Runs a command-line task with the services it needs, then stops them.
 * With the embedded database, run it while the app is stopped (or use MONGODB_URL).
 */
export async function runTask(name: string, parts: { search: boolean; mail: boolean }, task: (say: Say) => Promise<void>): Promise<void> {
  const say: Say = (line) => process.stdout.write(`${line}\n`);
  let services: Services | undefined;
  try {
    services = await startParts(say, { ...parts, long: true });
    await task(say);
    await services.stop();
    process.exit(0);
  } catch (err) {
    process.stderr.write(`\n${name} : échec — ${(err as Error)?.message ?? err}\n`);
    await services?.stop().catch(() => undefined);
    process.exit(1);
  }
}
