/**
 * Finishes the writes that a crash or an outage left half done
 * (core/unfinished.ts, docs/contact-lifecycle.md): at start and every two
 * minutes, each note is looked at by `_id` and its missing part written —
 * the queue item of a card in review, of a suggested edit, of a report or of
 * an account to read, the recomputation of a card's signals, and after a
 * publication the new agency's approval and the agent's information e-mail. Everything it
 * calls is idempotent (one open item per target; recomputation from the
 * stored signals), so running it twice, or beside the request that is still
 * finishing the same work, changes nothing.
 */
import type { Types } from 'mongoose';
import { activatePendingAgency, findAgency } from '../agencies/agencies.service';
import { findContact, findRevision } from '../contacts/contact-store';
import { isInReview, isVisibleState } from '../contacts/contact-states';
import { enqueueEdit, enqueueReview } from '../contacts/contacts.service';
import { logger } from '../core/logger';
import { clearUnfinished, UNFINISHED_KINDS, type UnfinishedKind, unfinishedIds } from '../core/unfinished';
import { informAgent } from '../agents/agents.service';
import { findOpenItem, openKeyOf } from '../inbox/queue';
import { getThresholds } from '../settings/thresholds';
import { enqueueAccount, enqueueReport, findRating, findReport, recheckStarted, recomputeContact, startRecheck } from '../signals/signals.service';

const log = logger('jobs');
export const REPAIR_EVERY_MS = 2 * 60_000;

const hasOpenItem = async (targetType: 'contact' | 'revision' | 'rating', id: Types.ObjectId) => !!(await findOpenItem(openKeyOf(targetType, id)));

/** What each kind of note still needs; returns whether it wrote something. */
const REPAIRS: Record<UnfinishedKind, (id: Types.ObjectId) => Promise<boolean>> = {
  async review(id) {
    const card = await findContact(id);
    if (!card || !isInReview(card.state) || (await hasOpenItem('contact', id))) return false;
    await enqueueReview(card);
    return true;
  },
  async revision(id) {
    const revision = await findRevision(id);
    if (!revision || revision.status !== 'pending' || (await hasOpenItem('revision', id))) return false;
    await enqueueEdit(revision);
    return true;
  },
  async report(id) {
    const report = await findReport(id);
    if (!report || report.status !== 'open' || (await hasOpenItem('contact', report.contactId))) return false;
    await enqueueReport(report);
    return true;
  },
  async account(id) {
    const rating = await findRating(id);
    if (!rating || rating.accountState !== 'pending' || (await hasOpenItem('rating', id))) return false;
    const card = await findContact(rating.contactId);
    if (!card) return false;
    await enqueueAccount(rating, card.region);
    return true;
  },
  async publication(id) {
    const card = await findContact(id);
    if (!card || !isVisibleState(card.state)) return false;
    const agency = await findAgency(card.agencyId);
    const approved = agency ? await activatePendingAgency(undefined, agency, { contactId: card._id }) : false;
    const inform = card.kind === 'agent' && !!card.email && !card.agentInformedAt && !card.objectedAt;
    if (inform) await informAgent(card);
    return approved || inform;
  },
  async recheck(id) {
    const card = await findContact(id);
    if (!card || card.state !== 'needs_check' || (await recheckStarted(id)) || (await hasOpenItem('contact', id))) return false;
    const th = await getThresholds();
    const staleBefore = new Date(card.needsCheckSince ?? Date.now());
    staleBefore.setMonth(staleBefore.getMonth() - th.staleMonths);
    const verified = card.lastVerifiedAt ?? card.publishedAt ?? card.createdAt;
    // The note does not say which rule fired: a card unverified for the stale period was the job's, any other the calls'.
    return (await startRecheck(card, verified < staleBefore ? 'stale' : 'calls')) !== 'already';
  },
  async signals(id) {
    if (!(await findContact(id))) return false;
    await recomputeContact(id);
    return true;
  },
};

/** Notes seen by the previous pass: a note is old enough to repair when it outlived one pass. */
let previous = new Set<string>();

/**
 * One pass. A note is repaired once it has been there for a whole pass (a
 * request that is still finishing the same work is left alone), or at once
 * with `everything` (at start, and in tests). Returns how many needed a write.
 */
export async function runRepairs(opts: { everything?: boolean } = {}): Promise<number> {
  let repaired = 0;
  const seen = new Set<string>();
  for (const kind of UNFINISHED_KINDS) {
    for (const id of await unfinishedIds(kind)) {
      const key = `${kind}:${id}`;
      seen.add(key);
      if (!opts.everything && !previous.has(key)) continue;
      try {
        if (await REPAIRS[kind](id)) repaired++;
        await clearUnfinished(kind, id);
        seen.delete(key);
      } catch (err) {
        log.warn({ err: { message: (err as Error).message }, kind, id: String(id) }, 'repair failed, retried next pass');
      }
    }
  }
  previous = seen;
  if (repaired) log.warn({ repaired }, 'half-done writes finished');
  return repaired;
}

/** Runs the repair now and every two minutes; returns the function that stops it. */
export function scheduleRepairs(): () => void {
  const run = (everything = false) =>
    void runRepairs({ everything }).catch((err) => log.warn({ err: { message: (err as Error).message } }, 'repair pass failed'));
  run(true);
  const timer = setInterval(() => run(), REPAIR_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
