/** Nightly pass: recomputes the scores of every contact that has signals, so old votes decay and « joint ce mois-ci » forgets last month. */
import { logger } from '../core/logger';
import { contactIdsWithSignals, forgetOldCalls, recomputeContact } from '../signals/signals.service';

const log = logger('jobs');

export async function runRankDecay(now = new Date()): Promise<number> {
  // Calls older than the cards keep are deleted (no longer read, and what members did is not kept longer than needed).
  const forgotten = await forgetOldCalls(now);
  if (forgotten) log.info({ calls: forgotten }, 'old calls deleted');
  const ids = await contactIdsWithSignals();
  for (const id of ids) await recomputeContact(id, now).catch((err) => log.warn({ err, id }, 'recompute failed'));
  log.info({ contacts: ids.size }, 'rank decay done');
  return ids.size;
}
