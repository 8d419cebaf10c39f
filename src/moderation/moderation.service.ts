/**
 * Moderators' work on the queue: listing (their régions only), claiming,
 * private notes, and decisions with reasons. A decision first closes the item
 * conditionally on its version — the second of two moderators gets « déjà
 * traité par … » and nothing changes — then applies its effect, writes an
 * audit event and tells the people concerned.
 */
import { Types } from 'mongoose';
import { agenciesByIds, approvePendingAgency, findAgency } from '../agencies/agencies.service';
import type { AgencyDoc } from '../agencies/agency.model';
import { LOOKUP_READ_LIMIT } from '../core/lookup';
import type { ContactDoc } from '../contacts/contact.model';
import { contactsByIds, contactsOfImportBatch, findContact, findRevision, revisionsByIds } from '../contacts/contact-store';
import { contactLabel } from '../contacts/contact-states';
import { clearUnfinished, noteUnfinished } from '../core/unfinished';
import type { SuggestEditInput } from '../contacts/contacts.schemas';
import * as contacts from '../contacts/contacts.service';
import { AppError, conflict, notFound } from '../core/errors';
import { logger } from '../core/logger';
import { type Actor, authorize, isAdmin, isModerator } from '../core/policy';
import { sendMail } from '../mail/mailer';
import type { MemberDoc } from '../members/member.model';
import { approveMember, findMember, membersByIds, rejectMember } from '../members/members.service';
import { listReasons, type Reason } from '../settings/reasons';
import { closeOpenReports, findRating, listOpenReports, setAccountState } from '../signals/signals.service';
import { recordEvent } from '../audit/audit';
import { type AuditAction, auditAction } from '../audit/audit-actions';
import { moderationMails } from './moderation.mails';
import { informAgent } from '../agents/agents.service';
import { moderationPolicy } from './moderation.policy';
import {
  addItemNote,
  claimItem as claimQueueItem,
  findOpenItems,
  getItem as getQueueItem,
  ITEM_TYPES,
  type ItemType,
  listOpenItems,
  OVERDUE_DAYS,
  openKeyOf,
  priorityOf,
  type QueueItemDoc,
  reopenItem,
  resolveItem,
} from '../inbox/queue';

const log = logger('moderation');

export const ACTIONS = {
  approve: 'Approuver',
  approve_edited: 'Approuver après correction',
  request_changes: 'Demander des compléments',
  reject: 'Refuser',
  merge: 'Fusionner avec une fiche existante',
  archive: 'Archiver',
  dismiss: 'Classer sans suite',
  verify: 'Confirmer que la fiche est valide',
  uphold: 'Appliquer l’opposition (effacer les données de l’agent)',
} as const;
export type Action = keyof typeof ACTIONS;

const DECISIONS_BY_TYPE = {
  new_member: ['approve', 'reject'],
  new_contact: ['approve', 'approve_edited', 'request_changes', 'reject', 'merge'],
  edit: ['approve', 'reject'],
  report: ['dismiss', 'verify', 'archive'],
  stale: ['verify', 'archive'],
  objection: ['uphold', 'dismiss'],
  duplicate: ['merge', 'dismiss'],
  account: ['approve', 'reject'],
} as const satisfies Record<ItemType, readonly Action[]>;

/** The decisions each type of item offers. */
export const ACTIONS_BY_TYPE: Record<ItemType, readonly Action[]> = DECISIONS_BY_TYPE;

/** The audit action (audit-actions.ts) each decision of each type of item writes: a decision left out fails typecheck. */
export const DECISION_AUDIT_ACTIONS: { [T in ItemType]: Record<(typeof DECISIONS_BY_TYPE)[T][number], AuditAction> } = {
  new_member: { approve: 'member.approve', reject: 'member.reject' },
  new_contact: {
    approve: 'contact.approve',
    approve_edited: 'contact.approve_edited',
    request_changes: 'contact.request_changes',
    reject: 'contact.reject',
    merge: 'contact.merge',
  },
  edit: { approve: 'revision.approve', reject: 'revision.reject' },
  report: { dismiss: 'report.dismiss', verify: 'report.verify', archive: 'report.archive' },
  stale: { verify: 'stale.verify', archive: 'stale.archive' },
  objection: { uphold: 'objection.uphold', dismiss: 'objection.dismiss' },
  duplicate: { merge: 'contact.merge', dismiss: 'duplicate.dismiss' },
  account: { approve: 'account.approve', reject: 'account.reject' },
};

/** The audit action of a decision; throws (a programmer error) for a decision the type does not offer. */
export function decisionAuditAction(type: ItemType, action: Action): AuditAction {
  const code = (DECISION_AUDIT_ACTIONS[type] as Partial<Record<Action, AuditAction>>)[action];
  if (!code) throw new Error(`No audit action for the decision ${action} on a ${type} item.`);
  return code;
}

/** Decisions that approve or confirm: they take an approval reason (optional), never a refusal reason. */
export const APPROVAL_ACTIONS: readonly Action[] = ['approve', 'approve_edited', 'verify'];
export const isApproval = (action: Action) => APPROVAL_ACTIONS.includes(action);

export const REASON_MESSAGES = {
  refusalOnApproval: 'Ce motif est un motif de refus : pour approuver ou confirmer, choisissez un motif d’approbation, ou aucun.',
  approvalOnRefusal: 'Ce motif est un motif d’approbation : pour cette décision, choisissez un motif de refus, ou aucun.',
  unknownApproval: 'Choisissez un motif d’approbation de la liste.',
  unknownRefusal: 'Choisissez un motif de refus de la liste.',
};

/**
 * The reason of a decision, from the list matching it: approval reasons for
 * an approval or a confirmation, refusal reasons for the others. Throws 422 on
 * the field concerned for a reason of the other list or one no list holds.
 */
async function reasonOf(d: Pick<Decision, 'action' | 'reasonCode' | 'approvalReasonCode'>): Promise<Reason | undefined> {
  const wrong = (field: string, message: string) => new AppError(422, 'wrong_reason', message, { [field]: message });
  if (isApproval(d.action)) {
    if (d.reasonCode) throw wrong('reasonCode', REASON_MESSAGES.refusalOnApproval);
    if (!d.approvalReasonCode) return undefined;
    const reason = (await listReasons('approve')).find((r) => r.code === d.approvalReasonCode);
    if (!reason) throw wrong('approvalReasonCode', REASON_MESSAGES.unknownApproval);
    return reason;
  }
  if (d.approvalReasonCode) throw wrong('approvalReasonCode', REASON_MESSAGES.approvalOnRefusal);
  if (!d.reasonCode) return undefined;
  const reason = (await listReasons('reject')).find((r) => r.code === d.reasonCode);
  if (!reason) throw wrong('reasonCode', REASON_MESSAGES.unknownRefusal);
  return reason;
}

/** Reason code of an objection whose sender the directory could not vouch for (moderation/objections.service.ts). */
export const UNVERIFIED_OBJECTION = 'objection_unverified';

/**
 * The decisions this item offers. A confirmed objection the directory could
 * verify already applied and can only be upheld (an objection wins); one it
 * could not verify had no effect, and the moderator upholds or dismisses it.
 */
export function actionsOf(item: Pick<QueueItemDoc, 'type' | 'reasons'>): readonly Action[] {
  const all = ACTIONS_BY_TYPE[item.type];
  if (item.type !== 'objection') return all;
  const verified = (item.reasons ?? []).some((r) => r.code === 'objection');
  return verified ? ['uphold'] : all;
}

export interface Decision {
  action: Action;
  version: number;
  /** A refusal reason (settings/reasons.ts), for any decision but an approval. */
  reasonCode?: string;
  /** An approval reason, for an approval or a confirmation (`APPROVAL_ACTIONS`). */
  approvalReasonCode?: string;
  message?: string;
  into?: string;
  edits?: SuggestEditInput;
}

async function loadItem(id: string): Promise<QueueItemDoc> {
  const item = await getQueueItem(id);
  if (!item) throw notFound('Cet élément de modération n’existe pas.');
  return item;
}

async function contactAuthorOf(item: QueueItemDoc): Promise<unknown> {
  if (!item.contactId) return undefined;
  return (await findContact(item.contactId))?.createdBy;
}

/** Open items of the actor's régions (admins: all, or one région), most important first. */
export async function listQueue(actor: Actor, filters: { type?: string; region?: string; overdue?: boolean } = {}, now = new Date()): Promise<QueueItemDoc[]> {
  authorize(isModerator(actor), 'Cette page est réservée à la modération.');
  let regions: readonly string[] | undefined;
  if (isAdmin(actor)) {
    if (filters.region) regions = [filters.region];
  } else {
    if (filters.region && !actor.moderatorRegions.includes(filters.region)) authorize(false, 'Vous ne modérez pas cette région.');
    regions = filters.region ? [filters.region] : actor.moderatorRegions;
  }
  const items = (await listOpenItems(regions)).filter((i) => !filters.type || i.type === filters.type);
  const overdueBefore = now.getTime() - OVERDUE_DAYS * 24 * 3600 * 1000;
  return items
    .filter((i) => !filters.overdue || i.createdAt.getTime() < overdueBefore)
    .map((i) => ({ ...i, priority: priorityOf(i.type, i.createdAt, i.reportScore ?? 0, now) }))
    .sort((a, b) => b.priority - a.priority || a.createdAt.getTime() - b.createdAt.getTime());
}

/** Loads documents of one model by `_id` only, in batches (docs/data-access.md: no filter but `_id` on a growing collection). */
async function byIds<T extends { _id: Types.ObjectId }>(
  load: (ids: Types.ObjectId[]) => Promise<T[]>,
  ids: Array<Types.ObjectId | null | undefined>,
): Promise<Map<string, T>> {
  const unique = [...new Set(ids.filter((id): id is Types.ObjectId => !!id).map(String))].map((id) => new Types.ObjectId(id));
  const out = new Map<string, T>();
  for (let i = 0; i < unique.length; i += LOOKUP_READ_LIMIT) {
    for (const doc of await load(unique.slice(i, i + LOOKUP_READ_LIMIT))) out.set(String(doc._id), doc);
  }
  return out;
}

/** An open item with what its line in the queue names: the card and its agency, the applicant, the screening flags. */
export interface QueueEntry {
  item: QueueItemDoc;
  contact?: ContactDoc;
  agency?: AgencyDoc;
  member?: MemberDoc;
  /** The screening flags behind the item (the card's for a new card, the revision's for an edit). */
  flags: Array<{ field: string; kind: string }>;
  departement?: string;
  /** True when the item may be approved from the list (`quickApprovable`). */
  quickApprove: boolean;
}

/**
 * An item needs no reading when it is a new card proposed once (no other
 * reason joined it), still pending, without screening flags, in an agency
 * that is already listed, whose agent will be informed, and the actor may
 * decide it (docs/moderation.md).
 */
export function quickApprovable(actor: Actor, e: Omit<QueueEntry, 'quickApprove'>): boolean {
  const { item, contact, agency } = e;
  return (
    item.type === 'new_contact' &&
    item.reasons.length > 0 &&
    item.reasons.every((r) => r.code === 'new_contact') &&
    !!contact &&
    contact.state === 'pending' &&
    contacts.agentWillBeInformed(contact) &&
    !e.flags.length &&
    agency?.status === 'active' &&
    moderationPolicy.decide(actor, item, contact.createdBy)
  );
}

/**
 * The queue as a to-do list: open items of the actor's régions with their
 * cards, agencies and applicants loaded by `_id` in batches, filtered by type
 * and département, ordered by type, then flagged items first, then priority
 * (age and report score), then age.
 */
export async function listQueueEntries(
  actor: Actor,
  filters: { type?: string; region?: string; departement?: string; overdue?: boolean } = {},
  now = new Date(),
): Promise<QueueEntry[]> {
  const items = await listQueue(actor, filters, now);
  const contacts = await byIds(
    contactsByIds,
    items.map((i) => i.contactId),
  );
  const revisions = await byIds(
    revisionsByIds,
    items.filter((i) => i.targetType === 'revision').map((i) => i.targetId),
  );
  const members = await byIds(
    membersByIds,
    items.filter((i) => i.targetType === 'member').map((i) => i.targetId),
  );
  const agencies = await byIds(
    agenciesByIds,
    [...contacts.values()].map((c) => c.agencyId),
  );
  const entries = items.map((item) => {
    const contact = item.contactId ? contacts.get(String(item.contactId)) : undefined;
    const agency = contact ? agencies.get(String(contact.agencyId)) : undefined;
    const member = item.targetType === 'member' ? members.get(String(item.targetId)) : undefined;
    const revision = item.targetType === 'revision' ? revisions.get(String(item.targetId)) : undefined;
    const source = revision ? revision.screeningFlags : contact && ['new_contact', 'duplicate'].includes(item.type) ? contact.screeningFlags : [];
    // The item's own flags come from free text its reasons brought (a report's text, an account).
    const flags = [...(source ?? []), ...(item.screeningFlags ?? [])].map((f) => ({ field: f.field ?? '', kind: f.kind ?? '' }));
    const entry = { item, contact, agency, member, flags, departement: agency?.departement ?? contact?.departement ?? member?.departement };
    return { ...entry, quickApprove: quickApprovable(actor, entry) };
  });
  const base = (e: QueueEntry) => ITEM_TYPES[e.item.type].base;
  return entries
    .filter((e) => !filters.departement || e.departement === filters.departement)
    .sort(
      (a, b) =>
        base(b) - base(a) ||
        Number(b.flags.length > 0) - Number(a.flags.length > 0) ||
        b.item.priority - a.item.priority ||
        a.item.createdAt.getTime() - b.item.createdAt.getTime(),
    );
}

/**
 * Approves from the list an item that needs no reading (`quickApprovable`),
 * through `decide`: the same conditional write on the item's version, the
 * same audit and mails. Throws 409 when the item needs reading, was decided
 * meanwhile (« Déjà traité par … ») or changed since the list was shown.
 */
export async function quickApprove(actor: Actor, id: string, version: number): Promise<{ item: QueueItemDoc; contact: ContactDoc; agency?: AgencyDoc }> {
  const item = await loadItem(id);
  authorize(moderationPolicy.view(actor, item), 'Cet élément concerne une autre région.');
  const contact = await findContact(item.contactId);
  const agency = contact ? await findAgency(contact.agencyId) : null;
  if (item.status === 'open') {
    const flags = [...(contact?.screeningFlags ?? []), ...(item.screeningFlags ?? [])].map((f) => ({ field: f.field ?? '', kind: f.kind ?? '' }));
    if (!contact || !quickApprovable(actor, { item, contact, agency: agency ?? undefined, flags })) {
      throw conflict('Cet élément doit être lu avant d’être approuvé : ouvrez-le pour décider.', 'needs_reading');
    }
  }
  await decide(actor, id, { action: 'approve', version });
  return { item, contact: contact as ContactDoc, agency: agency ?? undefined };
}

/** A card of an import batch with its open item (if still in review) and whether it may be approved without reading. */
export interface BatchEntry {
  contact: ContactDoc;
  agency?: AgencyDoc;
  item?: QueueItemDoc;
  flags: Array<{ field: string; kind: string }>;
  quickApprove: boolean;
}

/**
 * The cards of one spreadsheet import (imports/imports.service.ts) that the actor moderates, by
 * `_id` through the batch's keyed set. A batch of another région is a 403; an unknown one a 404.
 */
export async function getImportBatch(actor: Actor, batchId: string): Promise<BatchEntry[]> {
  authorize(isModerator(actor), 'Cette page est réservée à la modération.');
  const contacts = await contactsOfImportBatch(batchId);
  if (!contacts.length) throw notFound('Ce lot d’import n’existe pas.');
  const mine = contacts.filter((c) => isAdmin(actor) || actor.moderatorRegions.includes(c.region));
  authorize(mine.length > 0, 'Ce lot concerne une autre région.');
  const agencies = await byIds(agenciesByIds, mine.map((c) => c.agencyId));
  const items = await findOpenItems(mine.map((c) => openKeyOf('contact', c._id)));
  return mine.map((contact) => {
    const item = items.get(openKeyOf('contact', contact._id));
    const agency = agencies.get(String(contact.agencyId));
    const flags = [...(contact.screeningFlags ?? []), ...(item?.screeningFlags ?? [])].map((f) => ({ field: f.field ?? '', kind: f.kind ?? '' }));
    return { contact, agency, item, flags, quickApprove: !!item && quickApprovable(actor, { item, contact, agency, flags }) };
  });
}

/**
 * Approves every card of a batch that needs no reading (`quickApprovable`), each through
 * `decide`: its own conditional write on the item's version, its own audit event and mails. Cards
 * that need reading, and items decided meanwhile, are left and counted; past `budgetMs` the
 * request stops and says how many are still to publish (`more`).
 */
export async function approveImportBatch(
  actor: Actor,
  batchId: string,
  budgetMs = BATCH_APPROVAL_BUDGET_MS,
): Promise<{ approved: number; left: number; alreadyDecided: number; more: number }> {
  const entries = await getImportBatch(actor, batchId);
  const started = Date.now();
  let approved = 0;
  let alreadyDecided = 0;
  const approvable = entries.filter((x) => x.quickApprove && x.item);
  for (const e of approvable) {
    // A decision sends mails: a large batch is published over several requests, well within the request deadline.
    if (Date.now() - started > budgetMs) break;
    try {
      await decide(actor, String(e.item!._id), { action: 'approve', version: e.item!.version });
      approved++;
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      alreadyDecided++;
    }
  }
  const left = entries.filter((e) => e.item && !e.quickApprove).length;
  const more = approvable.length - approved - alreadyDecided;
  log.info({ batchId, approved, left, alreadyDecided, more }, 'import batch approved');
  return { approved, left, alreadyDecided, more };
}

/** How long one « publish the batch » request decides before it answers (the rest: the same button again). */
export const BATCH_APPROVAL_BUDGET_MS = 8000;

/** One item with what the decision needs: the contact, the revision diff, the applicant, the reports. */
export async function getItem(actor: Actor, id: string) {
  const item = await loadItem(id);
  authorize(moderationPolicy.view(actor, item), 'Cet élément concerne une autre région.');
  const contact = await findContact(item.contactId);
  const revision = item.targetType === 'revision' ? await findRevision(item.targetId) : null;
  const member = item.targetType === 'member' ? await findMember(item.targetId) : null;
  const reports = contact ? await listOpenReports(contact) : [];
  const rating = item.targetType === 'rating' ? await findRating(item.targetId) : null;
  const canDecide = moderationPolicy.decide(actor, item, contact?.createdBy);
  return { item, contact, revision, member, reports, rating, canDecide,
    actions: actionsOf(item),
    decisionReasons: await listReasons('reject'),
    approvalReasons: await listReasons('approve'),
  };
}

/** Takes the item for 30 minutes so colleagues see someone is on it. */
export async function claimItem(actor: Actor, id: string): Promise<void> {
  const item = await loadItem(id);
  authorize(moderationPolicy.view(actor, item), 'Cet élément concerne une autre région.');
  const now = new Date();
  await claimQueueItem(item._id, actor, new Date(now.getTime() + 30 * 60_000), now);
}

/** Adds a private moderator note (never shown to members). */
export async function addNote(actor: Actor, id: string, text: string): Promise<void> {
  const item = await loadItem(id);
  authorize(moderationPolicy.view(actor, item), 'Cet élément concerne une autre région.');
  await addItemNote(item._id, actor, text);
}

const frDate = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

/** Decides an item. Throws 409 « déjà traité par … » when someone else decided first. */
export async function decide(actor: Actor, id: string, d: Decision): Promise<QueueItemDoc> {
  const item = await loadItem(id);
  authorize(
    moderationPolicy.decide(actor, item, await contactAuthorOf(item)),
    'Vous ne pouvez pas décider de cet élément : il concerne une autre région, ou vous l’avez vous-même créé.',
  );
  if (!actionsOf(item).includes(d.action))
    throw new AppError(422, 'bad_action', 'Cette décision n’est pas possible pour cet élément.', { action: 'Choisissez une décision proposée.' });
  const reason = await reasonOf(d);
  if (d.action === 'reject' && !reason)
    throw new AppError(422, 'reason_required', 'Choisissez un motif de refus.', { reasonCode: 'Choisissez un motif de refus : il sera communiqué.' });
  if (d.action === 'request_changes' && !d.message)
    throw new AppError(422, 'message_required', 'Écrivez ce qu’il faut compléter.', {
      message: 'Écrivez ce qu’il faut compléter : le message est envoyé à l’auteur.',
    });
  if (d.action === 'merge' && !d.into)
    throw new AppError(422, 'merge_target', 'Indiquez la fiche à conserver.', { into: 'Indiquez l’adresse ou l’identifiant de la fiche à conserver.' });

  const now = new Date();
  const claimed = await resolveItem(item._id, d.version, { action: d.action, by: actor, reason: reason?.label, detail: reason?.label ?? d.message }, now);
  if (!claimed) {
    const current = await loadItem(id);
    if (current.status === 'resolved') {
      throw conflict(
        `Déjà traité par ${current.resolution?.byName ?? 'un·e autre modérateur·rice'}${current.resolution?.at ? ` le ${frDate.format(current.resolution.at)}` : ''} : rien n’a été changé.`,
        'already_decided',
      );
    }
    throw conflict('Cet élément a changé depuis que vous l’avez ouvert (nouveau signalement, note…) : relisez-le avant de décider.', 'stale_version');
  }
  try {
    await applyDecision(actor, claimed, d, reason?.label);
  } catch (err) {
    // No transactions: reopen the item so the decision can be made again.
    await reopenItem(claimed);
    throw err;
  }
  log.info({ itemId: String(item._id), type: item.type, action: d.action }, 'queue item decided');
  return claimed;
}

async function mailMember(memberId: unknown, build: (m: MemberDoc) => { subject: string; text: string }): Promise<void> {
  if (!memberId) return;
  const m = await findMember(memberId as Types.ObjectId | string);
  if (m && m.status === 'active') await sendMail({ to: m.email, ...build(m) });
}

async function applyDecision(actor: Actor, item: QueueItemDoc, d: Decision, reasonLabel?: string): Promise<void> {
  const base = { itemId: item._id, region: item.region, reason: reasonLabel, message: d.message };
  switch (item.type) {
    case 'new_member': {
      // The members service records the audit event and closes any other item of the applicant.
      if (d.action === 'approve') await approveMember(actor, String(item.targetId));
      else await rejectMember(actor, String(item.targetId), [reasonLabel, d.message].filter(Boolean).join(' '));
      return;
    }
    case 'new_contact':
    case 'duplicate':
      return decideContact(actor, item, d, base, reasonLabel);
    case 'edit': {
      if (d.action === 'approve') await contacts.approveRevision(actor, String(item.targetId));
      else await contacts.rejectRevision(actor, String(item.targetId));
      const rev = await findRevision(item.targetId);
      const changes = d.action === 'approve' ? (rev?.changes ?? []).map((c) => ({ field: c.field ?? '', before: c.before, after: c.after })) : [];
      await recordEvent(actor, {
        ...base,
        action: decisionAuditAction('edit', d.action),
        targetType: 'revision',
        targetId: item.targetId,
        contactId: item.contactId ?? undefined,
        changes,
      });
      const contact = await findContact(item.contactId);
      await mailMember(rev?.proposedBy, (m) =>
        moderationMails.editDecided(m.firstName, contact ? contactLabel(contact) : 'la fiche', d.action === 'approve', reasonLabel),
      );
      return;
    }
    case 'report':
    case 'stale':
      return decideReportOrStale(actor, item, d, base);
    case 'objection': {
      if (d.action === 'dismiss') {
        // Only an objection whose sender the directory could not vouch for is dismissed; it never had an effect.
        await recordEvent(actor, {
          ...base,
          action: 'objection.dismiss',
          targetType: 'contact',
          targetId: item.targetId,
          contactId: item.contactId ?? undefined,
        });
        return;
      }
      await contacts.eraseAgentData(actor, String(item.contactId), {
        ...base,
        action: 'objection.uphold',
        changes: [{ field: 'agentName', before: '[effacé]', after: null }],
      });
      return;
    }
    case 'account': {
      const accountState = d.action === 'approve' ? 'approved' : 'rejected';
      await setAccountState(item.targetId, accountState);
      await recordEvent(actor, {
        ...base,
        action: decisionAuditAction('account', d.action),
        targetType: 'rating',
        targetId: item.targetId,
        contactId: item.contactId ?? undefined,
      });
      return;
    }
  }
}

async function decideContact(actor: Actor, item: QueueItemDoc, d: Decision, base: Record<string, unknown>, reasonLabel?: string): Promise<void> {
  const id = String(item.contactId ?? item.targetId);
  if (d.action === 'dismiss')
    return void (await recordEvent(actor, { ...base, action: 'duplicate.dismiss', targetType: 'contact', targetId: id, contactId: id }));
  const audit = { ...base, action: decisionAuditAction(item.type, d.action) };
  const approving = d.action === 'approve' || d.action === 'approve_edited';
  // Publishing is followed by the agency's approval and the agent's information e-mail: noted first, so the
  // repair pass (jobs/repair.ts) finishes them if this request dies halfway (core/unfinished.ts).
  if (approving) await noteUnfinished('publication', new Types.ObjectId(id));
  let after: ContactDoc;
  switch (d.action) {
    case 'approve_edited': {
      if (!d.edits) throw new AppError(422, 'edits_required', 'Corrigez la fiche avant d’approuver.', { _form: 'Corrigez la fiche avant d’approuver.' });
      const changes = await contacts.editAsModerator(actor, id, d.edits);
      after = await contacts.publishContact(actor, id, { ...audit, changes });
      break;
    }
    case 'approve':
      after = await contacts.publishContact(actor, id, audit);
      break;
    case 'request_changes':
    case 'reject':
    case 'merge':
      after = (await contacts.moderateContact(actor, id, d.action, { into: d.into, audit })).after;
      break;
    default:
      throw new AppError(422, 'bad_action', 'Décision impossible.');
  }
  // A new agency is approved with the contact that created it (docs/moderation.md, « Nouveaux organismes »).
  if (approving) await approvePendingAgency(actor, String(after.agencyId), { contactId: after._id, itemId: item._id });
  const label = contactLabel(after);
  await mailMember(after.createdBy, (m) =>
    d.action === 'approve' || d.action === 'approve_edited'
      ? moderationMails.contactPublished(m.firstName, label, String(after._id))
      : d.action === 'request_changes'
        ? moderationMails.changesRequested(m.firstName, label, String(after._id), d.message ?? '')
        : moderationMails.contactRejected(m.firstName, label, reasonLabel ?? 'doublon d’une fiche existante', d.message),
  );
  if (approving && after.kind === 'agent' && after.email && !after.agentInformedAt) {
    await informAgent(after);
  }
  if (approving) await clearUnfinished('publication', after._id).catch(() => undefined);
}

const REPORT_OUTCOMES: Partial<Record<Action, string>> = {
  dismiss: 'la fiche a été vérifiée et conservée telle quelle.',
  verify: 'la fiche a été vérifiée et confirmée.',
  archive: 'la ligne a été archivée : elle n’apparaît plus dans l’annuaire.',
};

async function decideReportOrStale(actor: Actor, item: QueueItemDoc, d: Decision, base: Record<string, unknown>): Promise<void> {
  const id = String(item.contactId);
  const audit = { ...base, action: decisionAuditAction(item.type, d.action) };
  // Dismissing a report confirms the card as it is: the same check as « verify ».
  const { before, after } = await contacts.moderateContact(actor, id, d.action === 'archive' ? 'archive' : 'verify', { audit });
  const open = await closeOpenReports(after, d.action === 'archive' ? 'resolved' : 'dismissed');
  for (const r of open) await mailMember(r.memberId, (m) => moderationMails.reportOutcome(m.firstName, contactLabel(before), REPORT_OUTCOMES[d.action] ?? ''));
}

/** Moderator actions on a contact outside the queue (history page): archive or restore. */
export async function archiveOrRestore(actor: Actor, contactId: string, to: 'archived' | 'published', reasonCode?: string): Promise<ContactDoc> {
  const reason = reasonCode ? (await listReasons()).find((r) => r.code === reasonCode)?.label : undefined;
  const action = to === 'archived' ? 'archive' : 'restore';
  const { after } = await contacts.moderateContact(actor, contactId, action, { audit: { action: auditAction('contact', action), reason } });
  return after;
}

// The daily digest and the queue's repair, for jobs/scheduler.ts.
export { runDigest } from './digest';
