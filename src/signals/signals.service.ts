/**
 * Usefulness votes, validity confirmations and reports, and what they change:
 * the validity estimate, the quality score, the rank score, and the automatic
 * states. Every effect needs both a weighted score and several distinct
 * members (two keys), and everything is recomputed from the stored signals,
 * so one member clicking many times never counts more than once.
 */
import { Types } from 'mongoose';
import type { ContactDoc } from '../contacts/contact.model';
import { cardWords, flagReasons, screenOrThrow } from '../contacts/contact-input';
import { addToSignalList, markPhoneVerified, removeFromSignalList, updateContact } from '../contacts/contact-store';
import { loadContact } from '../contacts/contacts.service';
import { countToday, parisDay, uncountToday } from '../core/counters';
import { AppError, notFound, tooMany } from '../core/errors';
import { logger } from '../core/logger';
import { type Actor, authorize, isModerator } from '../core/policy';
import { stableId } from '../core/stable-id';
import { getThresholds, type Thresholds } from '../settings/thresholds';
import { levelWeight, quality, rankScore, reportWeight, validity } from './scoring';
import {
  Call,
  type CallDoc,
  Confirmation,
  CONFIRMATION_KINDS,
  type ConfirmationDoc,
  type ConfirmationKind,
  DATA_QUALITY_KINDS,
  Rating,
  type RatingDoc,
  Report,
  type ReportDoc,
  type ReportKind,
} from './signal.models';
import { signalPolicy } from './signals.policy';
import { enqueue } from '../inbox/queue';
import { REPORT_KINDS } from './signal.models';
import { isDuplicateKey } from '../core/db';
import { clearUnfinished, noteUnfinished } from '../core/unfinished';
import { allows } from '../contacts/contact-states';

const log = logger('signals');
const DAY = 24 * 3600 * 1000;
const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY);

/** One member's vote or confirmation on one card has an id computed from the pair: reading it is an `_id` lookup. */
export const ratingId = (contactId: Types.ObjectId | string, memberId: Types.ObjectId | string) => stableId('rating', contactId, memberId);
export const confirmationId = (contactId: Types.ObjectId | string, memberId: Types.ObjectId | string) => stableId('confirmation', contactId, memberId);

/** Counts the action in today's counter (core/counters.ts) and refuses it past the cap. */
export async function assertDailyCap(kind: string, actor: Actor, cap: number, what: string, now: Date): Promise<void> {
  if ((await countToday(kind, actor.id, now)) > cap) {
    await uncountToday(kind, actor.id, now);
    throw tooMany(`Vous avez atteint la limite de ${cap} ${what} par jour. Merci pour votre aide : reprenez demain.`);
  }
}

/** The open reports of a card, from its list (an `_id` lookup). */
async function openReportsOf(contact: ContactDoc): Promise<ReportDoc[]> {
  const ids = contact.openReportIds ?? [];
  if (!ids.length) return [];
  return (await Report.find({ _id: { $in: ids } }).lean<ReportDoc[]>()).filter((r) => r.status === 'open' && r.contactId.equals(contact._id));
}

/**
 * Records (or changes) the actor's usefulness vote. An optional account is
 * screened like all free text and waits for a moderator before it is shown.
 */
export async function rateContact(
  actor: Actor,
  contactId: string,
  input: { useful: boolean; tags: string[]; account?: string },
  now = new Date(),
): Promise<void> {
  const contact = await loadContact(contactId);
  authorize(signalPolicy.rate(actor, contact), 'Vous ne pouvez pas évaluer ce contact (on n’évalue pas une fiche que l’on a ajoutée).');
  const th = await getThresholds();
  const memberId = new Types.ObjectId(actor.id);
  const accountFlags = input.account ? screenOrThrow({ account: input.account }, cardWords(contact)) : [];
  await assertDailyCap('ratings', actor, th.ratingsPerDay, 'évaluations', now);
  const id = ratingId(contact._id, memberId);
  // Vote, its item and the recomputation are several writes: the notes let the repair finish them (core/unfinished.ts).
  await noteUnfinished('signals', contact._id);
  if (input.account) await noteUnfinished('account', id);
  await addToSignalList(contact._id, 'ratedBy', memberId);
  const rating = await Rating.findOneAndUpdate(
    { _id: id },
    {
      $set: {
        useful: input.useful,
        tags: input.tags,
        weight: levelWeight(actor.level, isModerator(actor)),
        ...(input.account ? { account: input.account, accountState: 'pending', screeningFlags: accountFlags } : {}),
      },
      $setOnInsert: { contactId: contact._id, memberId },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean<RatingDoc>();
  if (input.account) {
    await enqueueAccount(rating!, contact.region);
    await clearUnfinished('account', id).catch(() => undefined);
  }
  await recomputeContact(contact._id, now);
}

/** The item of an account waiting to be read (also used by the repair, jobs/repair.ts). */
export async function enqueueAccount(rating: RatingDoc, region: string): Promise<void> {
  await enqueue({
    type: 'account',
    targetType: 'rating',
    targetId: rating._id,
    contactId: rating.contactId,
    region,
    createdBy: rating.memberId,
    reason: { code: 'account', label: 'Récit d’un déblocage à relire avant publication' },
    screeningFlags: flagsOf(rating.screeningFlags),
  });
}

/** Records the actor's latest validity signal about the line (one per member: repeating moves its date). */
export async function confirmContact(actor: Actor, contactId: string, kind: ConfirmationKind, now = new Date()): Promise<void> {
  const contact = await loadContact(contactId);
  authorize(signalPolicy.confirm(actor, contact), 'Vous ne pouvez pas confirmer ce contact (on ne confirme pas une fiche que l’on a ajoutée).');
  const th = await getThresholds();
  const memberId = new Types.ObjectId(actor.id);
  await assertDailyCap('confirmations', actor, th.signalsPerDay, 'confirmations', now);
  const positive = CONFIRMATION_KINDS[kind].positive;
  await noteUnfinished('signals', contact._id);
  await addToSignalList(contact._id, 'confirmedBy', memberId);
  await Confirmation.updateOne(
    { _id: confirmationId(contact._id, memberId) },
    { $set: { kind, positive, at: now, weight: levelWeight(actor.level, isModerator(actor)) }, $setOnInsert: { contactId: contact._id, memberId } },
    { upsert: true },
  );
  if (positive) {
    await markPhoneVerified(contact._id, { at: now, by: memberId, method: 'confirmation' });
  }
  await recomputeContact(contact._id, now);
}

/** Opens a report (one open per member and contact); `other` needs a text, screened like all free text. */
export async function reportContact(actor: Actor, contactId: string, input: { kind: ReportKind; text?: string }, now = new Date()): Promise<ReportDoc> {
  const contact = await loadContact(contactId);
  authorize(signalPolicy.report(actor, contact), 'Vous ne pouvez pas signaler ce contact.');
  const th = await getThresholds();
  const memberId = new Types.ObjectId(actor.id);
  if (input.kind === 'other' && !input.text) {
    throw new AppError(422, 'report_text', 'Précisez le problème.', { text: 'Précisez le problème en quelques mots.' });
  }
  const textFlags = input.text ? screenOrThrow({ text: input.text }, cardWords(contact)) : [];
  const openKey = `${contact._id}:${actor.id}`;
  if ((await openReportsOf(contact)).some((r) => r.memberId.equals(memberId))) {
    throw new AppError(409, 'report_open', 'Vous avez déjà un signalement en cours sur ce contact : retirez-le pour en faire un autre.', {
      kind: 'Vous avez déjà un signalement en cours sur ce contact.',
    });
  }
  await assertDailyCap('reports', actor, th.reportsPerDay, 'signalements', now);
  const reportId = new Types.ObjectId();
  await noteUnfinished('signals', contact._id);
  await noteUnfinished('report', reportId);
  await addToSignalList(contact._id, 'openReportIds', reportId);
  let report;
  try {
    report = await Report.create({
      _id: reportId,
      contactId: contact._id,
      memberId,
      kind: input.kind,
      text: input.text,
      screeningFlags: textFlags,
      status: 'open',
      openKey,
      weight: reportWeight(actor.level, isModerator(actor)),
      region: contact.region,
    });
  } catch (err) {
    if (isDuplicateKey(err))
      throw new AppError(409, 'report_open', 'Vous avez déjà un signalement en cours sur ce contact.', {
        kind: 'Vous avez déjà un signalement en cours sur ce contact.',
      });
    throw err;
  }
  await recomputeContact(contact._id, now);
  const stored = report.toObject() as ReportDoc;
  await enqueueReport(stored);
  await clearUnfinished('report', reportId).catch(() => undefined);
  log.info({ contactId: String(contact._id), kind: input.kind }, 'report opened');
  return stored;
}

/** The report item of an open report, scored by the card's open reports (also used by the repair, jobs/repair.ts). */
export async function enqueueReport(report: ReportDoc): Promise<void> {
  const openScore = (await openReportsOf(await loadContact(String(report.contactId)))).reduce((sum, r) => sum + r.weight, 0);
  await enqueue({
    type: 'report',
    targetType: 'contact',
    targetId: report.contactId,
    contactId: report.contactId,
    region: report.region,
    createdBy: report.memberId,
    reportScore: openScore,
    reason: { code: `report:${report.kind}`, label: reportReasonLabel(report) },
    screeningFlags: flagsOf(report.screeningFlags),
  });
}

/**
 * The queue reason of a report. A text the screen flagged is not copied into
 * the reason (shown in every queue line): the moderator reads it on the item
 * page, with the flagged words highlighted.
 */
function reportReasonLabel(report: Pick<ReportDoc, 'kind' | 'text' | 'screeningFlags'>): string {
  const kind = `Signalement : ${REPORT_KINDS[report.kind as ReportKind]}`;
  if (!report.text) return kind;
  const flags = flagsOf(report.screeningFlags);
  return flags.length ? [kind, ...flagReasons(flags)].join(' · ') : `${kind} — « ${report.text} »`;
}

const flagsOf = (flags: Array<{ field?: string | null; kind?: string | null }> | undefined) =>
  (flags ?? []).map((f) => ({ field: f.field ?? '', kind: f.kind ?? '' }));

/** Withdraws the actor's open report on the contact. */
export async function withdrawReport(actor: Actor, contactId: string, now = new Date()): Promise<void> {
  const contact = await loadContact(contactId);
  const mine = (await openReportsOf(contact)).find((r) => String(r.memberId) === actor.id);
  if (mine) await noteUnfinished('signals', contact._id);
  const res = mine
    ? await Report.updateOne({ _id: mine._id, status: 'open' }, { $set: { status: 'withdrawn', resolvedAt: now }, $unset: { openKey: 1 } })
    : undefined;
  if (!mine || !res?.matchedCount) throw notFound('Vous n’avez pas de signalement en cours sur ce contact.');
  await removeFromSignalList(contact._id, 'openReportIds', [mine._id]);
  await recomputeContact(contact._id, now);
}

interface Evaluation {
  validity: number;
  quality: number;
  counters: { helpful: number; notHelpful: number; confirmations: number; reports: number; reachedMonth: number };
  state: string;
  phonesMasked: boolean;
  needsCheckSince?: Date;
  /** Distinct members whose latest call (in the window, after the last person's re-check) found the number wrong. */
  wrongCallers: number;
}

/** Weight of a call outcome in the validity estimate, times the member's level weight (docs/calls-and-rechecks.md). */
export const CALL_WEIGHTS = { reached: 1, wrong_number: 1, no_answer: 0.25 } as const;
/** Calls older than this leave the card's list (their decayed weight is a quarter at most). */
export const CALLS_KEPT_DAYS = 180;

/** Each member's latest call, newest first. */
function latestCallPerMember(calls: CallDoc[]): CallDoc[] {
  const byMember = new Map<string, CallDoc>();
  for (const c of calls) {
    const k = String(c.memberId);
    const seen = byMember.get(k);
    if (!seen || seen.at < c.at) byMember.set(k, c);
  }
  return [...byMember.values()].sort((a, b) => b.at.getTime() - a.at.getTime());
}

/** What the calls say: validity signals (one per member: their latest call), the month's reach and the « numéro faux » members. */
export function evaluateCalls(contact: Pick<ContactDoc, 'callsCountFrom'>, calls: CallDoc[], th: Thresholds, now: Date) {
  const latest = latestCallPerMember(calls);
  const windowStart = daysAgo(now, th.callWindowDays);
  const countFrom = contact.callsCountFrom && contact.callsCountFrom > windowStart ? contact.callsCountFrom : windowStart;
  return {
    signals: latest.map((c) => ({ positive: c.outcome === 'reached', at: c.at, weight: c.weight * CALL_WEIGHTS[c.outcome as keyof typeof CALL_WEIGHTS] })),
    reachedMonth: new Set(calls.filter((c) => c.outcome === 'reached' && c.at >= windowStart).map((c) => String(c.memberId))).size,
    wrongCallers: latest.filter((c) => c.outcome === 'wrong_number' && c.at > countFrom).length,
    reachedSince: (since: Date) => latest.some((c) => c.outcome === 'reached' && c.at > since),
  };
}

/** Weight of the agent's own confirmation in the validity estimate: above a moderator's signal (2). */
export const AGENT_CONFIRMATION_WEIGHT = 3;

/** The pure decision: what the signals make of a contact at `now`. */
export function evaluate(
  contact: ContactDoc,
  ratings: RatingDoc[],
  confirmations: ConfirmationDoc[],
  openReports: Array<ReportDoc & { trusted: boolean }>,
  th: Thresholds,
  now: Date,
  calls: CallDoc[] = [],
): Evaluation {
  // The listed agent's own « still right » (agents/agents.service.ts) is the strongest signal, and answers the
  // data-quality reports made before it: a person's statement is not overturned by earlier computed ones.
  const agentConfirmedAt = contact.agentConfirmedAt ?? undefined;
  const byCalls = evaluateCalls(contact, calls, th, now);
  const v = validity(
    [
      ...confirmations.map((c) => ({ positive: c.positive, at: c.at, weight: c.weight })),
      ...byCalls.signals,
      ...(agentConfirmedAt ? [{ positive: true, at: agentConfirmedAt, weight: AGENT_CONFIRMATION_WEIGHT }] : []),
    ],
    now,
    th.validityHalfLifeDays,
  );
  const q = quality(
    ratings.map((r) => ({ useful: r.useful, at: r.updatedAt, weight: r.weight })),
    now,
    th.qualityHalfLifeDays,
  );
  const recent = openReports.filter((r) => r.createdAt >= daysAgo(now, th.reportWindowDays));
  const dq = recent.filter((r) => DATA_QUALITY_KINDS.includes(r.kind as ReportKind) && !(agentConfirmedAt && r.createdAt <= agentConfirmedAt));
  const dqScore = dq.reduce((s, r) => s + r.weight, 0);
  const dqReporters = new Set(dq.map((r) => String(r.memberId))).size;
  const personal = recent.filter((r) => r.kind === 'personal_data');
  const personalScore = personal.reduce((s, r) => s + r.weight, 0);
  const recentPositive = confirmations.some((c) => c.positive && c.at >= daysAgo(now, th.maskPositiveGraceDays));
  const trustedLeft = dq.some((r) => r.kind === 'person_left' && r.trusted);

  const recoveredSince = (since: Date | undefined) => !!since && (confirmations.some((c) => c.positive && c.at > since) || byCalls.reachedSince(since));
  let state = contact.state as string;
  let needsCheckSince = contact.needsCheckSince ?? undefined;
  const live = ['published', 'needs_check'].includes(state);
  if (live && (personalScore >= th.personalDataScore || personal.some((r) => r.trusted))) state = 'restricted';
  else if (state === 'published' && ((dqScore >= th.needsCheckScore && dqReporters >= th.needsCheckReporters) || trustedLeft)) {
    state = 'needs_check';
    needsCheckSince = now;
  } else if (
    state === 'needs_check' &&
    dqScore < th.needsCheckScore &&
    byCalls.wrongCallers < th.wrongCallersToFlag &&
    recoveredSince(needsCheckSince)
  ) {
    // A colleague confirmed or reached the line again, and neither the reports nor the « numéro faux » calls reach their threshold.
    state = 'published';
    needsCheckSince = undefined;
  }
  return {
    validity: v,
    quality: q,
    counters: {
      helpful: ratings.filter((r) => r.useful).length,
      notHelpful: ratings.filter((r) => !r.useful).length,
      confirmations: confirmations.filter((c) => c.positive).length,
      reports: openReports.length,
      reachedMonth: byCalls.reachedMonth,
    },
    state,
    phonesMasked: dqScore >= th.maskScore && dqReporters >= th.maskReporters && !recentPositive,
    needsCheckSince,
    wrongCallers: byCalls.wrongCallers,
  };
}

/** The signals of a card, each read by `_id` from the card's lists. */
async function signalsOf(contact: ContactDoc): Promise<{ ratings: RatingDoc[]; confirmations: ConfirmationDoc[]; reports: ReportDoc[]; calls: CallDoc[] }> {
  const ratingIds = (contact.ratedBy ?? []).map((m) => ratingId(contact._id, m));
  const confirmationIds = (contact.confirmedBy ?? []).map((m) => confirmationId(contact._id, m));
  // The newest 1 000 calls at most (ids end with their day): one `_id` lookup.
  const callIds = [...(contact.callIds ?? [])].sort((a, b) => b.slice(-10).localeCompare(a.slice(-10))).slice(0, 1000);
  const [ratings, confirmations, reports, calls] = await Promise.all([
    ratingIds.length ? Rating.find({ _id: { $in: ratingIds } }).lean<RatingDoc[]>() : [],
    confirmationIds.length ? Confirmation.find({ _id: { $in: confirmationIds } }).lean<ConfirmationDoc[]>() : [],
    openReportsOf(contact),
    callIds.length ? Call.find({ _id: { $in: callIds } }).lean<CallDoc[]>() : [],
  ]);
  return { ratings, confirmations, reports, calls: calls.filter((c) => c.contactId.equals(contact._id)) };
}

/** Ids of calls older than CALLS_KEPT_DAYS (their Paris day is in the id). */
function expiredCallIds(contact: ContactDoc, now: Date): string[] {
  const oldest = parisDay(daysAgo(now, CALLS_KEPT_DAYS));
  return (contact.callIds ?? []).filter((id) => id.slice(-10) < oldest);
}

/**
 * Recomputes scores, counters and automatic states from the stored signals,
 * and pushes the change to search. The write is conditional on the revision it
 * read: if anyone changed the card meanwhile (a decision, another signal), it
 * reads again and recomputes, so it never writes a state computed from a card
 * that is gone.
 */
export async function recomputeContact(contactId: Types.ObjectId | string, now = new Date()): Promise<Evaluation> {
  const th = await getThresholds();
  // A report is "trusted" when its weight is that of a trusted level or a moderator.
  const trustedWeight = reportWeight(th.trustedLevel, false);
  for (let attempt = 0; ; attempt++) {
    const contact = await loadContact(String(contactId));
    const { ratings, confirmations, reports, calls } = await signalsOf(contact);
    const computed = evaluate(
      contact,
      ratings,
      confirmations,
      reports.map((r) => ({ ...r, trusted: r.weight >= trustedWeight })),
      th,
      now,
      calls,
    );
    const expired = expiredCallIds(contact, now);
    // Signals derive a state only where the lifecycle table lets them (contacts/contact-states.ts): never out of a decided one.
    const derived = computed.state === contact.state || allows('signals', contact.state, computed.state);
    const e = derived ? computed : { ...computed, state: contact.state, needsCheckSince: contact.needsCheckSince ?? undefined };
    const score = rankScore(e.quality, e.validity, e.state);
    const written = await updateContact(
      { _id: contact._id, revision: contact.revision },
      {
        $set: {
          validity: e.validity,
          quality: e.quality,
          rankScore: score,
          counters: e.counters,
          state: e.state,
          phonesMasked: e.phonesMasked,
          ...(e.needsCheckSince ? { needsCheckSince: e.needsCheckSince } : {}),
        },
        ...(e.needsCheckSince ? {} : { $unset: { needsCheckSince: 1 } }),
        // Only the ids read as expired: an id a concurrent call just added stays.
        ...(expired.length ? { $pullAll: { callIds: expired } } : {}),
      },
    );
    if (written) {
      if (e.state !== contact.state) log.info({ contactId: String(contact._id), from: contact.state, to: e.state }, 'contact state changed by signals');
      await clearUnfinished('signals', contact._id).catch(() => undefined);
      return e;
    }
    if (attempt >= 9) throw new AppError(503, 'busy', 'Ce contact est très sollicité en ce moment : réessayez dans un instant.');
  }
}

/** What the actor has already said about a contact (for the contact page). */
export async function mySignals(actor: Actor, contact: ContactDoc) {
  const memberId = new Types.ObjectId(actor.id);
  const [rating, confirmation, reports] = await Promise.all([
    Rating.findById(ratingId(contact._id, memberId)).lean<RatingDoc>(),
    Confirmation.findById(confirmationId(contact._id, memberId)).lean<ConfirmationDoc>(),
    openReportsOf(contact),
  ]);
  return { rating: rating ?? undefined, confirmation: confirmation ?? undefined, report: reports.find((r) => r.memberId.equals(memberId)) };
}

/** The actor's earlier vote on a contact, if any (the form that refines it starts from it). */
export async function myRating(actor: Actor, contactId: string): Promise<RatingDoc | undefined> {
  const contact = await loadContact(contactId);
  return (await Rating.findById(ratingId(contact._id, actor.id)).lean<RatingDoc>()) ?? undefined;
}

/** Approved accounts of how the contact unblocked situations (no author shown). */
export async function approvedAccounts(contact: ContactDoc): Promise<string[]> {
  const ids = (contact.ratedBy ?? []).slice(0, 500).map((m) => ratingId(contact._id, m));
  if (!ids.length) return [];
  const rows = await Rating.find({ _id: { $in: ids } }).lean<RatingDoc[]>();
  return rows
    .filter((r) => r.accountState === 'approved')
    .slice(0, 20)
    .map((r) => r.account ?? '')
    .filter(Boolean);
}

/** Closes every open report of a card (a moderator's decision on them) and recomputes it. */
export async function closeOpenReports(contact: ContactDoc, status: 'resolved' | 'dismissed', now = new Date()): Promise<ReportDoc[]> {
  const open = await openReportsOf(contact);
  await noteUnfinished('signals', contact._id);
  if (open.length) {
    await Report.updateMany({ _id: { $in: open.map((r) => r._id) }, status: 'open' }, { $set: { status, resolvedAt: now }, $unset: { openKey: 1 } });
    await removeFromSignalList(contact._id, 'openReportIds', open.map((r) => r._id));
  }
  await recomputeContact(contact._id, now);
  return open;
}

/** The open reports of a card (moderation item page). */
export async function listOpenReports(contact: ContactDoc): Promise<ReportDoc[]> {
  return openReportsOf(contact);
}

/** A rating by id (null when missing or malformed): the free-text account a moderator reads. */
export async function findRating(id: Types.ObjectId | string | null | undefined): Promise<RatingDoc | null> {
  return id && Types.ObjectId.isValid(String(id)) ? Rating.findById(id).lean<RatingDoc>() : null;
}

/** A moderator's decision on a rating's free-text account. */
export async function setAccountState(ratingId: Types.ObjectId | string, accountState: 'approved' | 'rejected'): Promise<void> {
  await Rating.updateOne({ _id: ratingId }, { $set: { accountState } });
}

// Authors' re-checks of a card turned « à vérifier », for the freshness and repair jobs.
export { openDueRechecks, recheckId, recheckStarted, startRecheck } from './rechecks';

/** Deletes the calls older than the cards keep; returns how many. */
export async function forgetOldCalls(now = new Date()): Promise<number> {
  const res = await Call.deleteMany({ at: { $lt: new Date(now.getTime() - (CALLS_KEPT_DAYS + 1) * 24 * 3600 * 1000) } });
  return res.deletedCount;
}

/** Every card that has votes, confirmations or calls (the nightly rank pass). */
export async function contactIdsWithSignals(): Promise<Set<string>> {
  return new Set([...(await Rating.distinct('contactId')), ...(await Confirmation.distinct('contactId')), ...(await Call.distinct('contactId'))].map(String));
}

/** A report by id (null when missing or malformed), for the repair. */
export async function findReport(id: Types.ObjectId | string | null | undefined): Promise<ReportDoc | null> {
  return id && Types.ObjectId.isValid(String(id)) ? Report.findById(id).lean<ReportDoc>() : null;
}
