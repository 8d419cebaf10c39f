/** Reports whether the database and the search engine answer, within a second. */
import { pingDatabase } from '../core/db';
import { searchHealthy } from '../search/meili-client';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: 'ok' | 'down';
  search: 'ok' | 'down';
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
