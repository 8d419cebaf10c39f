/**
 * « J’ai appelé » (docs/calls-and-rechecks.md): a member says what they got
 * when they called a line — joint, pas de réponse, numéro faux. One outcome
 * per (card, member, Paris day), replaced by a second tap the same day. The
 * outcomes feed the validity estimate (signals.service.ts evaluate) and, once
 * enough distinct members found the number wrong, put a published card to
 * « à vérifier » through the lifecycle (contact-store.ts changeState), and its
 * author is asked to re-check it (rechecks.ts).
 */
import { Types } from 'mongoose';
import type { ContactDoc } from '../contacts/contact.model';
import { addToSignalList, changeState, markPhoneVerified } from '../contacts/contact-store';
import { parisDay } from '../core/counters';
import { skipConflict } from '../core/errors';
import { finishing, noteUnfinished } from '../core/unfinished';
import { logger } from '../core/logger';
import { type Actor, authorize, isModerator } from '../core/policy';
import { getThresholds } from '../settings/thresholds';
import { startRecheck } from './rechecks';
import { levelWeight } from './scoring';
import { Call, type CallDoc, type CallOutcome } from './signal.models';
import { signalPolicy } from './signals.policy';
import { loadContact } from '../contacts/contacts.service';
import { assertDailyCap, recomputeContact } from './signals.service';

const log = logger('signals');

/** The one outcome of a member on a card for a Paris day. */
export const callId = (contactId: Types.ObjectId | string, memberId: Types.ObjectId | string, day: string) => `call:${contactId}:${memberId}:${day}`;

export interface CallResult {
  outcome: CallOutcome;
  /** Distinct colleagues who reached the line in the window, after this call. */
  reachedMonth: number;
  /** True when this call put the card to « à vérifier ». */
  flagged: boolean;
  /** After a flag: whether its author was asked to re-check it, or the moderators' item opened at once (no active author). */
  then?: 'author_asked' | 'queued';
}

/**
 * Records the actor's outcome for today (replacing an earlier one of the same
 * day), recomputes the card, and applies the « numéro faux » rule. Members on
 * visible cards they did not add; counted in the daily cap.
 */
export async function recordCall(actor: Actor, contactId: string, outcome: CallOutcome, now = new Date()): Promise<CallResult> {
  const contact = await loadContact(contactId);
  authorize(signalPolicy.call(actor, contact), 'Vous ne pouvez pas donner de retour d’appel sur ce contact (on ne le fait pas sur une fiche que l’on a ajoutée).');
  const th = await getThresholds();
  await assertDailyCap('calls', actor, th.callsPerDay, 'retours d’appel', now);
  const memberId = new Types.ObjectId(actor.id);
  const day = parisDay(now);
  const id = callId(contact._id, memberId, day);
  // The id joins the card's list before the call is written (a crash leaves an id without a call, never a call nobody reads);
  // the note lets the repair recompute the card if the request dies before it does (core/unfinished.ts).
  await noteUnfinished('signals', contact._id);
  await addToSignalList(contact._id, 'callIds', id);
  await Call.updateOne(
    { _id: id },
    { $set: { outcome, at: now, weight: levelWeight(actor.level, isModerator(actor)) }, $setOnInsert: { contactId: contact._id, memberId, day } },
    { upsert: true },
  );
  if (outcome === 'reached') {
    // A call that got through verifies the line (docs/calls-and-rechecks.md, method `call_outcome`).
    await markPhoneVerified(contact._id, { at: now, by: memberId, method: 'call_outcome' });
  }
  const e = await recomputeContact(contact._id, now);
  const flag = e.wrongCallers >= th.wrongCallersToFlag ? await flagFromCalls(contact._id, e.wrongCallers, now) : undefined;
  return { outcome, reachedMonth: e.counters.reachedMonth, flagged: !!flag, ...(flag ? { then: flag } : {}) };
}

/**
 * Published → « à vérifier » by the calls, once: conditional on the card as
 * read (changeState), so of two members' « numéro faux » at the same moment
 * only one write matches; the other finds the card already changed and does
 * nothing. Never from another state: a restricted, archived or objected card
 * stays as a person or the agent left it.
 */
async function flagFromCalls(contactId: Types.ObjectId, wrongCallers: number, now: Date): Promise<CallResult['then']> {
  const fresh = await loadContact(String(contactId));
  if (fresh.state !== 'published') return undefined;
  // The state change and the author's request are two writes: the note lets the repair finish the second (jobs/repair.ts).
  return finishing('recheck', fresh._id, async () => {
    const res = await changeState(fresh, {
      by: 'signals',
      action: 'flag',
      set: { needsCheckSince: now },
      audit: { actor: undefined, action: 'contact.flag_calls', reason: `${wrongCallers} collègues ont trouvé le numéro faux ou plus attribué` },
    }).catch(skipConflict);
    if (!res) return undefined;
    log.info({ contactId: String(contactId), wrongCallers }, 'contact flagged by calls');
    return (await startRecheck(res.after, 'calls', now)) === 'queued' ? 'queued' : 'author_asked';
  });
}

/** The actor's outcome today on the card, if any (the page marks the button pressed). */
export async function myCallToday(actor: Actor, contact: Pick<ContactDoc, '_id'>, now = new Date()): Promise<CallDoc | undefined> {
  return (await Call.findById(callId(contact._id, actor.id, parisDay(now))).lean<CallDoc>()) ?? undefined;
}
