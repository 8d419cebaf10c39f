/**
 * National administration: appointing moderators and their régions, the
 * canned rejection reasons, the thresholds of the automatic rules, and the
 * audit log (also open to moderators, for their own régions). Every change
 * writes an audit event with what it was before and after.
 */
import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError, conflict } from '../core/errors';
import { parisDayEnd, parisDayStart } from '../core/calendar';
import { logger } from '../core/logger';
import { type Actor, authorize, isAdmin, isModerator } from '../core/policy';
import type { MemberDoc } from '../members/member.model';
import { findMemberByEmail, loadMember, membersWithRole, updateRoleIf } from '../members/members.service';
import { memberPolicy } from '../members/members.policy';
import { countEvents, findEvents, recordEvent } from '../audit/audit';
import type { ModerationEventDoc } from '../audit/moderation-event.model';
import { listRegions } from '../reference/territories';
import { recordSecurityEvent } from '../security/security-log';
import { listReasons, type Reason, REASON_KEYS, type ReasonKind, saveReasons } from '../settings/reasons';
import { clearThresholdsCache, getThresholds, saveThresholds, type Thresholds } from '../settings/thresholds';
import { JOURNAL_PAGE_SIZE, type JournalQuery, THRESHOLD_KEYS } from './admin.schemas';
import { escapeRegex } from '../core/text';
import type { AgencyDoc } from '../agencies/agency.model';
import type { ContactDoc } from '../contacts/contact.model';
import { contactsWithAgencies } from '../contacts/contacts.service';
import { type AuditAction, isAuditAction } from '../audit/audit-actions';

const log = logger('moderation');

export const MESSAGES = {
  adminsOnly: 'Cette page est réservée aux administrateurs.',
  moderatorsOnly: 'Cette page est réservée à la modération.',
  self: 'Vous ne pouvez pas changer votre propre rôle : demandez-le à un autre administrateur.',
  unknownEmail: 'Aucun compte n’utilise cette adresse : la personne doit d’abord demander un accès et être validée.',
  notActive: 'Ce compte n’est pas actif : seul un membre validé peut devenir modérateur.',
  isAdmin: 'Cette personne est administratrice nationale : ce rôle se gère en ligne de commande (npm run admin:create).',
  notModerator: 'Cette personne n’est pas (ou plus) modératrice : rechargez la page.',
  changedMeanwhile: 'Ce compte a été modifié entre-temps : rechargez la page et recommencez.',
  notYourRegion: 'Vous ne modérez pas cette région : choisissez l’une des vôtres.',
  notAppointed: 'La nomination n’a pas été enregistrée.',
};

/**
 * A stable ObjectId standing for a settings document in the audit log (its
 * `targetId` must be an ObjectId; settings are keyed by name).
 */
export function settingTargetId(key: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`setting:${key}`).digest('hex').slice(0, 24));
}

const REGION_ORDER = new Map(listRegions().map((r, i) => [r.code, i]));
const sortRegions = (codes: readonly string[]) => [...new Set(codes)].sort((a, b) => (REGION_ORDER.get(a) ?? 99) - (REGION_ORDER.get(b) ?? 99));
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

// --- Moderators ----------------------------------------------------------------------------------

/** Moderators and admins, admins first, then by name. Admins only. */
export async function listStaff(actor: Actor): Promise<MemberDoc[]> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  // Two equality queries rather than one $in (FerretDB filters $in after fetching).
  const [admins, moderators] = await Promise.all([
    membersWithRole('admin'),
    membersWithRole('moderator'),
  ]);
  const byName = (a: MemberDoc, b: MemberDoc) => `${a.lastName} ${a.firstName}`.localeCompare(`${b.lastName} ${b.firstName}`, 'fr');
  return [...admins.sort(byName), ...moderators.sort(byName)];
}

export interface RoleChange {
  changed: boolean;
  member: MemberDoc;
  before: { role: string; moderatorRegions: string[] };
  after: { role: string; moderatorRegions: string[] };
}

/** Admins may change anyone's role but their own (memberPolicy.changeRole). */
function authorizeRoleChange(actor: Actor, m: MemberDoc): void {
  authorize(memberPolicy.changeRole(actor, { id: String(m._id), region: m.region }), isAdmin(actor) ? MESSAGES.self : MESSAGES.adminsOnly);
}

/**
 * Sets a member's role and moderated régions, audits the change (audit log
 * and security log) and returns what changed. The new role applies from the
 * member's next request (sessions re-read the account). Throws 403 for one's
 * own account, 409 for an admin or a concurrent change.
 */
async function setRole(actor: Actor, m: MemberDoc, role: 'member' | 'moderator', regions: readonly string[]): Promise<RoleChange> {
  authorizeRoleChange(actor, m);
  if (m.role === 'admin') throw conflict(MESSAGES.isAdmin, 'target_is_admin');
  const before = { role: m.role as string, moderatorRegions: m.role === 'moderator' ? sortRegions(m.moderatorRegions ?? []) : [] };
  const after = { role, moderatorRegions: role === 'moderator' ? sortRegions(regions) : [] };
  if (before.role === after.role && sameList(before.moderatorRegions, after.moderatorRegions)) {
    return { changed: false, member: m, before, after };
  }
  // Conditional on the role read: a concurrent change (or a promotion to admin) wins, this one fails.
  const updated = await updateRoleIf(m._id, m.role, after);
  if (!updated) throw conflict(MESSAGES.changedMeanwhile, 'member_changed');

  const changes: Array<{ field: string; before: unknown; after: unknown }> = [];
  if (before.role !== after.role) changes.push({ field: 'role', before: before.role, after: after.role });
  if (!sameList(before.moderatorRegions, after.moderatorRegions)) {
    changes.push({ field: 'moderatorRegions', before: before.moderatorRegions, after: after.moderatorRegions });
  }
  await recordEvent(actor, { action: 'member.role_change', targetType: 'member', targetId: m._id, region: m.region, changes });
  await recordSecurityEvent('role_changed', {
    memberId: m._id,
    actorId: actor.id,
    detail: `${before.role}→${after.role}${after.moderatorRegions.length ? `:${after.moderatorRegions.join(',')}` : ''}`,
  });
  log.info({ memberId: String(m._id), before: before.role, after: after.role, regions: after.moderatorRegions }, 'role changed');
  return { changed: true, member: updated, before, after };
}

/**
 * Makes the member with this e-mail a moderator of exactly these régions
 * (also updates an existing moderator). Unknown address or an account that is
 * not an active member: 422 on the e-mail field.
 */
export async function appointModerator(actor: Actor, email: string, regions: readonly string[]): Promise<RoleChange> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  const m = await findMemberByEmail(email);
  if (!m) throw new AppError(422, 'member_not_found', MESSAGES.notAppointed, { email: MESSAGES.unknownEmail });
  authorizeRoleChange(actor, m);
  if (m.role !== 'moderator' && (m.status !== 'active' || !m.emailVerifiedAt)) {
    throw new AppError(422, 'member_not_active', MESSAGES.notAppointed, { email: MESSAGES.notActive });
  }
  return setRole(actor, m, 'moderator', regions);
}

/** Replaces the régions of a moderator. */
export async function setModeratorRegions(actor: Actor, memberId: string, regions: readonly string[]): Promise<RoleChange> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  const m = await loadMember(memberId);
  authorizeRoleChange(actor, m);
  if (m.role !== 'moderator') throw conflict(MESSAGES.notModerator, 'not_moderator');
  return setRole(actor, m, 'moderator', regions);
}

/** Sets a moderator back to a plain member. */
export async function revokeModerator(actor: Actor, memberId: string): Promise<RoleChange> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  const m = await loadMember(memberId);
  authorizeRoleChange(actor, m);
  if (m.role !== 'moderator') throw conflict(MESSAGES.notModerator, 'not_moderator');
  return setRole(actor, m, 'member', []);
}

// --- Canned reasons ------------------------------------------------------------------------------

/** The reasons in force of one list (admin list, or the defaults). Admins only. */
export async function getReasons(actor: Actor, kind: ReasonKind = 'reject'): Promise<Reason[]> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  return listReasons(kind);
}

const REASON_AUDIT = {
  reject: { action: 'settings.reasons', field: 'reason' },
  approve: { action: 'settings.approval_reasons', field: 'approvalReason' },
} as const satisfies Record<ReasonKind, { action: AuditAction; field: string }>;

/**
 * Replaces one list of canned reasons (refusal or approval; at least one;
 * codes unique) and audits each reason added, relabelled or removed.
 * Returns those changes.
 */
export async function updateReasons(actor: Actor, reasons: Reason[], kind: ReasonKind = 'reject'): Promise<Array<{ field: string; before: unknown; after: unknown }>> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  const { action, field } = REASON_AUDIT[kind];
  const before = new Map((await listReasons(kind)).map((r) => [r.code, r.label]));
  const after = new Map(reasons.map((r) => [r.code, r.label]));
  const changes: Array<{ field: string; before: unknown; after: unknown }> = [];
  for (const [code, label] of before) if (after.get(code) !== label) changes.push({ field: `${field}:${code}`, before: label, after: after.get(code) ?? null });
  for (const [code, label] of after) if (!before.has(code)) changes.push({ field: `${field}:${code}`, before: null, after: label });
  if (!changes.length) return [];
  await saveReasons(reasons, actor.id, kind);
  await recordEvent(actor, { action, targetType: 'setting', targetId: settingTargetId(REASON_KEYS[kind]), changes });
  log.info({ changes: changes.length, kind }, 'canned reasons changed');
  return changes;
}

// --- Thresholds ----------------------------------------------------------------------------------

/** The thresholds in force, read afresh. Admins only. */
export async function getCurrentThresholds(actor: Actor): Promise<Thresholds> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  clearThresholdsCache();
  return getThresholds();
}

/** Stores every threshold and audits the ones that changed (before/after). Returns those changes. */
export async function updateThresholds(actor: Actor, values: Thresholds): Promise<Array<{ field: string; before: number; after: number }>> {
  authorize(isAdmin(actor), MESSAGES.adminsOnly);
  clearThresholdsCache();
  const before = await getThresholds();
  const changes = THRESHOLD_KEYS.filter((k) => before[k] !== values[k]).map((k) => ({ field: k, before: before[k], after: values[k] }));
  if (!changes.length) return [];
  await saveThresholds(values, actor.id);
  await recordEvent(actor, { action: 'settings.thresholds', targetType: 'setting', targetId: settingTargetId('thresholds'), changes });
  log.info({ fields: changes.map((c) => c.field) }, 'thresholds changed');
  return changes;
}

// --- Audit log -----------------------------------------------------------------------------------

export interface JournalPage {
  events: ModerationEventDoc[];
  total: number;
  page: number;
  totalPages: number;
  /** The régions the actor may filter on. */
  regions: string[];
  /** True for an admin's national view (no région filter). */
  all: boolean;
  /** The cards the page's events name, with their agencies (loaded by `_id`). */
  contacts: Array<{ contact: ContactDoc; agency?: AgencyDoc }>;
}


/**
 * One page (50 events, newest first) of the audit log. Admins read every
 * event; moderators only events of their régions (events without a région,
 * such as settings changes, are national and left out). Throws 403 for a
 * région the moderator does not moderate.
 */
export async function listJournal(actor: Actor, q: JournalQuery): Promise<JournalPage> {
  authorize(isModerator(actor), MESSAGES.moderatorsOnly);
  const admin = isAdmin(actor);
  const regions = admin ? listRegions().map((r) => r.code) : sortRegions(actor.moderatorRegions);
  const empty: JournalPage = { events: [], total: 0, page: 1, totalPages: 1, regions, all: admin && !q.region, contacts: [] };

  const filter: Record<string, unknown> = {};
  if (q.region) {
    authorize(regions.includes(q.region), MESSAGES.notYourRegion);
    filter.region = q.region;
  } else if (!admin) {
    if (!regions.length) return empty;
    // Equality when possible: FerretDB filters $in after fetching.
    filter.region = regions.length === 1 ? regions[0] : { $in: regions };
  }
  // A catalogue code (the filter's select) is matched exactly; any other text as the start of a code.
  if (q.action) filter.action = isAuditAction(q.action) ? q.action : { $regex: `^${escapeRegex(q.action)}` };
  if (q.acteur) {
    if (q.acteur.includes('@')) {
      const author = await findMemberByEmail(q.acteur);
      if (!author) return empty;
      filter.actorId = author._id;
    } else {
      filter.actorName = { $regex: escapeRegex(q.acteur), $options: 'i' };
    }
  }
  const at: Record<string, Date> = {};
  if (q.du) at.$gte = parisDayStart(q.du)!;
  if (q.au) at.$lt = parisDayEnd(q.au)!; // « au » is inclusive
  if (Object.keys(at).length) filter.at = at;

  const pageOf = (n: number) => findEvents(filter, (n - 1) * JOURNAL_PAGE_SIZE, JOURNAL_PAGE_SIZE);
  // Both at once: on the embedded FerretDB each is a pass over the collection.
  const [total, asked] = await Promise.all([countEvents(filter), pageOf(q.page)]);
  const totalPages = Math.max(1, Math.ceil(total / JOURNAL_PAGE_SIZE));
  const page = Math.min(q.page, totalPages);
  const events = page === q.page ? asked : await pageOf(page);
  const contacts = await contactsWithAgencies(events.map((e) => e.contactId).filter((id): id is Types.ObjectId => !!id));
  return { events, total, page, totalPages, regions, all: admin && !q.region, contacts };
}
