/**
 * undici's keep-alive Pool with its request() method, loaded from the
 * package's own modules instead of its index: `import 'undici'` also loads
 * fetch, WebSocket, EventSource, the cache stores and the mock agents at
 * start, which this app never uses (about 6 MB of resident memory:
 * docs/benchmarks.md « Memory »). The index adds request() and the other
 * calls to every dispatcher; here only request() is added, the same
 * function. The package's version is pinned in package.json, and
 * test/search/undici-pool.test.ts checks that a request goes through without
 * the index and that this Pool is the index's own, so an upgrade that moves
 * them fails there.
 */
import { createRequire } from 'node:module';
import type { Dispatcher as DispatcherType, Pool as PoolType } from 'undici';

const require = createRequire(import.meta.url);

export const Pool = require('undici/lib/dispatcher/pool.js') as typeof PoolType;
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as typeof DispatcherType;
const request = require('undici/lib/api/api-request.js') as DispatcherType['request'];

if (!Object.hasOwn(Dispatcher.prototype, 'request')) {
  Object.defineProperty(Dispatcher.prototype, 'request', { value: request, writable: true, configurable: true });
}

export type Pool = PoolType;
