/** Nightly pass: recomputes the scores of every contact that has signals, so old votes decay and « joint ce mois-ci » forgets last month. */
import { logger } from '../core/logger';
import { recomputeContact } from '../signals/signals.service';
import { Call, Confirmation, Rating } from '../signals/signal.models';

const log = logger('jobs');

export async function runRankDecay(now = new Date()): Promise<number> {
  const ids = new Set([...(await Rating.distinct('contactId')), ...(await Confirmation.distinct('contactId')), ...(await Call.distinct('contactId'))].map(String));
  for (const id of ids) await recomputeContact(id, now).catch((err) => log.warn({ err, id }, 'recompute failed'));
  log.info({ contacts: ids.size }, 'rank decay done');
  return ids.size;
}
