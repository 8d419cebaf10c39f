/**
 * The real services for a test run: one embedded FerretDB and one Meilisearch
 * on free ports in a temporary folder, started once and stopped at the end.
 * Tests that need to break a service (health, faults) stop and restart them here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../../src/config';
import { startFerretDB, type EmbeddedDatabase } from '../../src/core/embedded/ferretdb';
import { startMeilisearch, type EmbeddedSearch } from '../../src/core/embedded/meilisearch';

export interface TestServices {
  dir: string;
  database: EmbeddedDatabase;
  search: EmbeddedSearch;
}

let services: TestServices | undefined;

const say = (line: string) => process.stderr.write(`[test services] ${line}\n`);

export async function startTestServices(): Promise<TestServices> {
  const dir = mkdtempSync(join(tmpdir(), 'ligne-directe-test-'));
  const [database, search] = await Promise.all([
    startFerretDB({ root: config.paths.root, cacheDir: config.paths.cache, dir: join(dir, 'db'), dbName: 'ligne-directe-test', say }),
    startMeilisearch({ dir: join(dir, 'meili'), say }),
  ]);
  services = { dir, database, search };
  return services;
}

export function testServices(): TestServices {
  if (!services) throw new Error('test services are not started');
  return services;
}

/** Stops Meilisearch (the port stays reserved for the restart). */
export async function stopSearch(): Promise<void> {
  await testServices().search.stop();
}

/** Restarts Meilisearch on the same port with the same data. */
export async function restartSearch(): Promise<void> {
  const s = testServices();
  s.search = await startMeilisearch({ dir: join(s.dir, 'meili'), port: s.search.port, say });
}

/** Stops the database (simulates an outage). */
export async function stopDatabase(): Promise<void> {
  await testServices().database.stop();
}

/** Restarts the database on the same port with the same files. */
export async function restartDatabase(): Promise<void> {
  const s = testServices();
  s.database = await startFerretDB({
    root: config.paths.root,
    cacheDir: config.paths.cache,
    dir: join(s.dir, 'db'),
    dbName: 'ligne-directe-test',
    port: s.database.port,
    say,
  });
}

/** The temporary folder, removed synchronously (a worker's exit, after its children were told to stop). */
export function removeTestServicesFolder(): void {
  if (services) rmSync(services.dir, { recursive: true, force: true });
}

export async function stopTestServices(): Promise<void> {
  if (!services) return;
  const s = services;
  services = undefined;
  await Promise.all([s.database.stop(), s.search.stop()]);
  rmSync(s.dir, { recursive: true, force: true });
}
