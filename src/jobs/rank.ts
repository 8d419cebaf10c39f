/** Nightly pass: recomputes the scores of every contact that has signals, so old votes decay and « joint ce mois-ci » forgets last month. */
import { logger } from '../core/logger';
import { CALLS_KEPT_DAYS, recomputeContact } from '../signals/signals.service';
import { Call, Confirmation, Rating } from '../signals/signal.models';

const log = logger('jobs');

export async function runRankDecay(now = new Date()): Promise<number> {
  // Calls older than the cards keep are deleted (no longer read, and what members did is not kept longer than needed).
  const forgotten = await Call.deleteMany({ at: { $lt: new Date(now.getTime() - (CALLS_KEPT_DAYS + 1) * 24 * 3600 * 1000) } });
  if (forgotten.deletedCount) log.info({ calls: forgotten.deletedCount }, 'old calls deleted');
  const ids = new Set([...(await Rating.distinct('contactId')), ...(await Confirmation.distinct('contactId')), ...(await Call.distinct('contactId'))].map(String));
  for (const id of ids) await recomputeContact(id, now).catch((err) => log.warn({ err, id }, 'recompute failed'));
  log.info({ contacts: ids.size }, 'rank decay done');
  return ids.size;
}
