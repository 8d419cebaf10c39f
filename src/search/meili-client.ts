/**
 * Owns the connection to Meilisearch: one official client for searches,
 * settings, documents and tasks, whose transport is an undici keep-alive pool
 * instead of the global fetch (which adds ~45 ms per search here:
 * docs/search.md « 10. The connection to the engine »).
 * Index names carry a prefix so environments and test runs never collide.
 */
import { Meilisearch, MeilisearchApiError, type SearchParams, type SearchResponse, type Settings } from 'meilisearch';
import { Pool } from './undici-pool';
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
  const pool = new Pool(host, { connections: 32, keepAliveTimeout: 30_000, pipelining: 1, connect: { timeout: 1000 } });
  connection = {
    host,
    apiKey: opts.apiKey,
    prefix: opts.prefix,
    client: new Meilisearch({ host, apiKey: opts.apiKey, httpClient: poolTransport(pool) }),
    pool,
  };
}

/** Longest a request to the engine may take when its caller gives no deadline (documents, settings, tasks). */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The client's transport: its URL and request init sent through the pool. It
 * answers as the client's own fetch transport would: the parsed body, or a
 * MeilisearchApiError (with the engine's `code` in its cause) for a non-2xx answer.
 */
function poolTransport(pool: Pool) {
  return async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<unknown> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const res = await pool.request({
      method: (init?.method ?? 'GET') as 'GET',
      path: url.pathname + url.search,
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
      signal: init?.signal ?? AbortSignal.timeout(DEFAULT_TIMEOUT_MS),
    });
    const text = await res.body.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    if (res.statusCode >= 300) throw new MeilisearchApiError(new Response(null, { status: res.statusCode }), body as never);
    return body;
  };
}

/** The engine's error code (e.g. "index_not_found") anywhere in an error's causes, if it has one. */
export function engineErrorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (e instanceof MeilisearchApiError) return (e.cause as { code?: string } | undefined)?.code;
  }
  return undefined;
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
 * Searches one index (by its name without prefix) through the client, with a
 * deadline: throws on any transport error, timeout or non-2xx answer so callers
 * can fall back to degraded search.
 */
export async function searchIndex<R = SearchResponse>(name: string, params: SearchParams & { q?: string }, timeoutMs = 2000): Promise<R> {
  const { q, ...rest } = params;
  // The caller names the fields it asked for (hits' attributes, facets); the engine's answer is that shape.
  const res: unknown = await meili().index(indexUid(name)).search(q ?? '', rest, { signal: AbortSignal.timeout(timeoutMs) });
  return res as R;
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
