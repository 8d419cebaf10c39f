/**
 * A 5-second, per-process cache of signed-in actors: every request re-reads
 * the member (so suspensions and role changes apply), and the cache spares
 * that read on bursts. Writers of a member forget it at once in this
 * process; other instances see the change within 5 s.
 */
import type { Actor } from '../core/policy';

const TTL_MS = 5000;
const MAX = 5000;
const cache = new Map<string, { actor: Actor | undefined; until: number }>();

export function cachedActor(id: string): { actor: Actor | undefined } | undefined {
  const hit = cache.get(id);
  return hit && hit.until > Date.now() ? { actor: hit.actor } : undefined;
}

export function cacheActor(id: string, actor: Actor | undefined): void {
  if (cache.size >= MAX) cache.clear();
  cache.set(id, { actor, until: Date.now() + TTL_MS });
}

export function forgetActor(id?: unknown): void {
  if (id === undefined) cache.clear();
  else cache.delete(String(id));
}
