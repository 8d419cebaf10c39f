/**
 * Supervision of the embedded services: a child that exits without being
 * asked to is started again, on the same port with the same data, after a
 * growing delay (the backoff resets once a child has stayed up for a
 * minute). `stop()` is the only intentional exit: it never restarts.
 * Figures and reasons: docs/resilience.md.
 */
import { logger } from '../logger';
import type { ServiceProcess } from './child';

const log = logger('lifecycle');

/** Delays before restart attempts 1, 2, 3…; the last one repeats. */
export const RESTART_BACKOFF_MS = [250, 1000, 2000, 5000, 10_000];
/** A child that ran this long is considered healthy again: the next crash restarts after the first delay. */
const STABLE_MS = 60_000;

export type SupervisedState = 'running' | 'restarting' | 'stopped';

export interface SupervisedStatus {
  name: string;
  state: SupervisedState;
  restarts: number;
  lastExit?: { at: Date; code: number | null; signal: string | null };
}

export interface Supervisor {
  readonly name: string;
  /** The child running now (or the last one, while restarting). */
  current(): ServiceProcess;
  status(): SupervisedStatus;
  /** Resolves once a child is running again (at once when it is). */
  ready(): Promise<void>;
  /** Intentional stop: the child is stopped and never restarted. */
  stop(): Promise<void>;
}

const registry = new Map<string, Supervisor>();

/** Status of every supervised service of this process (health, tests). */
export function supervisedServices(): SupervisedStatus[] {
  return [...registry.values()].map((s) => s.status());
}

/**
 * Watches `first` and restarts it with `start` (which must resolve once the
 * new child accepts connections) whenever it exits unexpectedly.
 */
export function supervise(first: ServiceProcess, start: () => Promise<ServiceProcess>, key = first.name, say: (line: string) => void = () => undefined): Supervisor {
  let child = first;
  let state: SupervisedState = 'running';
  let restarts = 0;
  let attempt = 0;
  let startedAt = Date.now();
  let lastExit: SupervisedStatus['lastExit'];
  let timer: NodeJS.Timeout | undefined;
  let waiters: Array<() => void> = [];

  const wake = () => {
    for (const w of waiters) w();
    waiters = [];
  };

  const scheduleRestart = () => {
    const delay = RESTART_BACKOFF_MS[Math.min(attempt, RESTART_BACKOFF_MS.length - 1)];
    attempt++;
    timer = setTimeout(() => void restart(), delay);
    timer.unref();
    return delay;
  };

  const restart = async () => {
    if (state === 'stopped') return;
    const began = Date.now();
    try {
      const next = await start();
      if ((state as SupervisedState) === 'stopped') {
        await next.stop();
        return;
      }
      child = next;
      state = 'running';
      restarts++;
      startedAt = Date.now();
      watch(next);
      log.warn({ service: child.name, restarts, ms: Date.now() - began }, `${child.name} restarted by the supervisor (restart ${restarts})`);
      say(`${child.name} a redémarré (redémarrage n° ${restarts}, prêt en ${Date.now() - began} ms).`);
      wake();
    } catch (err) {
      const delay = scheduleRestart();
      log.error({ service: child.name, err: { message: (err as Error).message }, retryInMs: delay }, `${child.name} failed to restart; retrying`);
      say(`${child.name} n’a pas pu redémarrer (${(err as Error).message.split('\n')[0]}) : nouvel essai dans ${delay} ms.`);
    }
  };

  const watch = (proc: ServiceProcess) => {
    proc.child.once('exit', (code, signal) => {
      if (state === 'stopped' || proc !== child) return;
      lastExit = { at: new Date(), code, signal };
      if (Date.now() - startedAt > STABLE_MS) attempt = 0;
      state = 'restarting';
      const delay = scheduleRestart();
      log.error(
        { service: proc.name, code, signal, restartInMs: delay, lastOutput: proc.output.slice(-5) },
        `${proc.name} exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${delay} ms`,
      );
      say(`${proc.name} s’est arrêté de façon inattendue (${signal ?? `code ${code}`}) : redémarrage dans ${delay} ms ; en attendant, ${proc.name === 'FerretDB' ? 'les pages répondent « service momentanément indisponible »' : 'la recherche fonctionne en mode dégradé'}.`);
    });
  };
  watch(first);

  const supervisor: Supervisor = {
    name: key,
    current: () => child,
    status: () => ({ name: key, state, restarts, lastExit }),
    ready: () => (state === 'running' ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    async stop() {
      state = 'stopped';
      clearTimeout(timer);
      wake();
      if (registry.get(key) === supervisor) registry.delete(key);
      await child.stop();
    },
  };
  registry.set(key, supervisor);
  return supervisor;
}
