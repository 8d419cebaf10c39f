/** Entry point of `npm start`: services, then HTTP, then graceful shutdown. */
import type { Server } from 'node:http';
import { createApp } from './app';
import { type Services, startServices } from './boot';
import { config } from './config';
import { settleBackground } from './core/background';
import { withLongDeadline } from './core/db';
import { EmbeddedServiceError } from './core/embedded/errors';
import { logger } from './core/logger';
import { scheduleCleanup } from './jobs/cleanup';
import { migrateData } from './jobs/rebuild-keys';
import { scheduleDailyJobs } from './jobs/scheduler';
import { scheduleRepairs } from './jobs/repair';
import { startSearchReconciler } from './search/indexer';
import { ensureSearchReady } from './search/search-startup';
import { seedIfEmpty } from '../seeds/demo';

const log = logger('lifecycle');
// Human lines go to stderr: stdout carries only the JSON log stream.
const say = (line: string) => process.stderr.write(`${line}\n`);

let services: Services | undefined;
let server: Server | undefined;
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    say('Arrêt forcé.');
    process.exit(1);
  }
  stopping = true;
  say(`\n${signal} reçu : arrêt de Ligne directe…`);
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  if (server) {
    const closed = new Promise((resolve) => server!.close(resolve));
    server.closeIdleConnections();
    setTimeout(() => server?.closeAllConnections(), 5000).unref();
    await closed;
  }
  // Mails and writes answered before they ran (reset, registration): give them a few seconds.
  await Promise.race([settleBackground(), new Promise((r) => setTimeout(r, 5000).unref())]);
  await services?.stop();
  say('Ligne directe est arrêtée.');
  process.exit(0);
}

async function main(): Promise<void> {
  const started = Date.now();
  say(`Ligne directe : démarrage (${config.env})…`);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  services = await startServices(say);
  await withLongDeadline(() => migrateData(say));
  await withLongDeadline(() => seedIfEmpty(say));
  // « prête » means search answers too: a missing index is rebuilt and the engine's queue drained first (docs/search.md).
  await withLongDeadline(() => ensureSearchReady(say));
  // Background jobs read whole collections: their timers run under the long database deadline.
  const stopCleanup = config.jobs ? withLongDeadline(() => scheduleCleanup()) : () => undefined;
  const stopReconciler = config.jobs ? withLongDeadline(() => startSearchReconciler()) : () => undefined;
  const stopJobs = config.jobs ? withLongDeadline(() => scheduleDailyJobs()) : () => undefined;
  const stopRepairs = config.jobs ? withLongDeadline(() => scheduleRepairs()) : () => undefined;
  process.once('exit', () => {
    stopRepairs();
    stopCleanup();
    stopReconciler();
    stopJobs();
  });
  const app = createApp();
  server = app.listen(config.http.port, config.http.host);
  await new Promise<void>((resolve, reject) => {
    server!.once('listening', resolve);
    server!.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log.info({ port, seconds }, 'ready');
  say(`Ligne directe est prête en ${seconds} s : http://localhost:${port}  (Ctrl-C pour arrêter)`);
}

main().catch(async (err: unknown) => {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (err instanceof EmbeddedServiceError) say(`\n${err.message}\n`);
  else if (code === 'EADDRINUSE')
    say(`\nLe port ${config.http.port} est déjà utilisé. Arrêtez l’autre programme ou choisissez un autre port : PORT=3001 npm start\n`);
  else {
    log.fatal({ err }, 'start-up failed');
    say(`\nLe démarrage a échoué : ${(err as Error)?.message ?? err}\n`);
  }
  await services?.stop().catch(() => undefined);
  process.exit(1);
});
