/**
 * A figure that is expensive to count (a pass over recent events, a dozen
 * search-index facet queries) and that every page of the process may share:
 * counted at most once per `ttlMs`, kept in memory, never in the database.
 * Each process has its own copy; nothing here is exact to the second, so use
 * it for dashboards, never for a decision. docs/data-access.md (« What still
 * reads whole collections, and why it is left ») says which reads use it.
 */

/** What a shared count holds: its own figures plus the time they were counted. */
export interface Counted {
  at: Date;
}

export interface SharedCount<T extends Counted> {
  /**
   * The figure: the cached one while younger than `ttlMs`; otherwise a fresh
   * count is started (one at a time) and an expired figure is served while it
   * runs. With no figure yet, waits for the count at most `waitMs`, then
   * resolves undefined (the count goes on and the next call gets it).
   */
  get(waitMs?: number): Promise<T | undefined>;
  /** Forgets the figure; a count already running when clear() is called is not kept. */
  clear(): void;
}

/**
 * A count shared by the whole process. `count` must stamp its result with `at`
 * (when it was counted): freshness is measured from it. A failed count is
 * reported to `onError` (the caller's logger) and retried on the next get().
 */
export function sharedCount<T extends Counted>(
  name: string,
  ttlMs: number,
  count: () => Promise<T>,
  onError: (err: unknown, name: string) => void = () => {},
): SharedCount<T> {
  let value: T | undefined;
  let pending: Promise<T> | undefined;

  async function get(waitMs = Infinity): Promise<T | undefined> {
    if (value && Date.now() - value.at.getTime() < ttlMs) return value;
    if (!pending) {
      // One count at a time; a count started before clear() is not kept.
      const run: Promise<T> = count().then(
        (v) => {
          if (pending === run) [value, pending] = [v, undefined];
          return v;
        },
        (err: unknown) => {
          if (pending === run) pending = undefined;
          throw err;
        },
      );
      pending = run;
      run.catch((err: unknown) => onError(err, name));
    }
    if (value) return value;
    if (waitMs === Infinity) return pending;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    get,
    clear: () => {
      value = undefined;
      pending = undefined;
    },
  };
}
