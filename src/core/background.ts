/**
 * Work an answer must not wait for (so that its timing reveals nothing, e.g.
 * whether an address has an account). Failures are logged, never thrown;
 * `settleBackground()` waits for what is in flight (shutdown, tests).
 */
import { logger } from './logger';

const log = logger('lifecycle');
const inFlight = new Set<Promise<void>>();

/** Starts `task` without waiting for it. */
export function runInBackground(name: string, task: () => Promise<unknown>): void {
  const p: Promise<void> = Promise.resolve()
    .then(task)
    .then(
      () => undefined,
      (err: unknown) => log.warn({ err, task: name }, 'background task failed'),
    )
    .finally(() => inFlight.delete(p));
  inFlight.add(p);
}

/** Resolves once every background task started so far has finished. */
export async function settleBackground(): Promise<void> {
  while (inFlight.size) await Promise.all([...inFlight]);
}
