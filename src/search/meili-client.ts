/**
 * Owns the connection to Meilisearch: the official client for settings,
 * documents and tasks, and an undici keep-alive pool for the search hot path
 * (the client's fetch transport adds ~45 ms per search here: stack-notes §5b).
 * Index names carry a prefix so environments and test runs never collide.
 */
import { Meilisearch, type Settings } from 'meilisearch';
import { Pool } from 'undici';
import { logger } from '../core/logger';

const log = logger('search');

export interface IndexDefinition {
  /** Name without prefix, e.g. "contacts". */
  name: string;
  primaryKey: string;
  settings: Settings;
}

interface Connection {
  host: string;
  apiKey?: string;
  prefix: string;
  client: Meilisearch;
  pool: Pool;
}

let connection: Connection | undefined;
const definitions = new Map<string, IndexDefinition>();

/** Declares an index whose settings are applied at start (and by reindex). */
export function defineIndex(def: IndexDefinition): IndexDefinition {
  definitions.set(def.name, def);
  return def;
}

/** Opens the client and the search pool. Does not contact the server. */
export function connectSearch(opts: { host: string; apiKey?: string; prefix: string }): void {
  const host = opts.host.replace(/\/$/, '');
  connection = {
    host,
    apiKey: opts.apiKey,
    prefix: opts.prefix,
    client: new Meilisearch({ host, apiKey: opts.apiKey }),
    pool: new Pool(host, { connections: 32, keepAliveTimeout: 30_000, pipelining: 1, connect: { timeout: 1000 } }),
  };
}

export async function disconnectSearch(): Promise<void> {
  const c = connection;
  connection = undefined;
  await c?.pool.close();
}

function current(): Connection {
  if (!connection) throw new Error('search not connected');
  return connection;
}

export function meili(): Meilisearch {
  return current().client;
}

/** Full index uid for a definition name, e.g. "ld_dev_contacts". */
export function indexUid(name: string): string {
  return `${current().prefix}${name}`;
}

/** Changes the prefix (tests give each file its own). */
export function setIndexPrefix(prefix: string): void {
  current().prefix = prefix;
}

export function indexPrefix(): string {
  return current().prefix;
}

/** Applies every declared index's settings and waits for the tasks. */
export async function applyIndexSettings(): Promise<void> {
  const client = meili();
  for (const def of definitions.values()) {
    const uid = indexUid(def.name);
    const created = await client.createIndex(uid, { primaryKey: def.primaryKey }).waitTask({ timeout: 30_000 });
    if (created.status === 'failed' && created.error?.code !== 'index_already_exists') {
      throw new Error(`Meilisearch: cannot create ${uid}: ${created.error?.message}`);
    }
    const task = await client.index(uid).updateSettings(def.settings).waitTask({ timeout: 60_000 });
    if (task.status === 'failed') throw new Error(`Meilisearch: settings of ${uid} refused: ${task.error?.message}`);
  }
  log.info({ indexes: definitions.size }, 'search settings applied');
}

/**
 * POSTs a search straight through the keep-alive pool. Throws on any transport
 * error or non-2xx answer so callers can fall back to degraded search.
 */
export async function rawSearch<T>(name: string, body: Record<string, unknown>, timeoutMs = 2000): Promise<T> {
  const c = current();
  const res = await c.pool.request({
    method: 'POST',
    path: `/indexes/${indexUid(name)}/search`,
    headers: { 'content-type': 'application/json', ...(c.apiKey ? { authorization: `Bearer ${c.apiKey}` } : {}) },
    body: JSON.stringify(body),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  if (res.statusCode >= 300) {
    const text = await res.body.text();
    throw new Error(`Meilisearch search failed (${res.statusCode}): ${text.slice(0, 300)}`);
  }
  return (await res.body.json()) as T;
}

/** True when Meilisearch answers /health within `timeoutMs`. Never throws, never hangs. */
export async function searchHealthy(timeoutMs = 800): Promise<boolean> {
  const c = connection;
  if (!c) return false;
  try {
    const res = await c.pool.request({ method: 'GET', path: '/health', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
    return res.statusCode === 200;
  } catch {
    return false;
  }
}
