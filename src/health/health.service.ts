/**
 * Health probes. `live`: the process answers (no I/O). `ready`: the database
 * answers, which is what the app cannot serve without; search is reported
 * but never fails readiness, since search degrades to a database query.
 * `checkHealth` (GET /health) keeps its stricter meaning: both answer.
 */
import { pingDatabase } from '../core/db';
import { supervisedServices, type SupervisedState } from '../core/embedded/supervisor';
import { searchHealthy } from '../search/search.service';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: 'ok' | 'down';
  search: 'ok' | 'down';
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  database: 'ok' | 'down';
  search: 'ok' | 'down';
  /** Embedded services this process supervises (absent with external services). */
  services?: Record<string, { state: SupervisedState; restarts: number }>;
}

/** Both probes run in parallel and are each bounded to 800 ms. */
export async function checkHealth(): Promise<HealthReport> {
  const [db, search] = await Promise.all([pingDatabase(800), searchHealthy(800)]);
  return {
    status: db && search ? 'ok' : 'degraded',
    database: db ? 'ok' : 'down',
    search: search ? 'ok' : 'down',
  };
}

/** Ready when the database answers within 800 ms; search and supervision are reported only. */
export async function checkReadiness(): Promise<ReadinessReport> {
  const [db, search] = await Promise.all([pingDatabase(800), searchHealthy(800)]);
  const supervised = supervisedServices();
  return {
    status: db ? 'ready' : 'not_ready',
    database: db ? 'ok' : 'down',
    search: search ? 'ok' : 'down',
    ...(supervised.length ? { services: Object.fromEntries(supervised.map((s) => [s.name, { state: s.state, restarts: s.restarts }])) } : {}),
  };
}
