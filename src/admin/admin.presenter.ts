/** Administration data → what the admin pages and the audit log show. */
import type { Actor } from '../core/policy';
import type { MemberDoc } from '../members/member.model';
import { memberPolicy } from '../members/members.policy';
import { AUDIT_ACTION_CODES, AUDIT_ACTIONS, isAuditAction } from '../audit/audit-actions';
import { auditSentence, presentAuditChange } from '../moderation/audit.presenter';
import type { ModerationEventDoc } from '../audit/moderation-event.model';
import { contactTitle } from '../moderation/moderation.presenter';
import { getRegion, listRegions } from '../reference/territories';
import type { Reason } from '../settings/reasons';
import { DEFAULT_THRESHOLDS, type Thresholds, ThresholdsSchema } from '../settings/thresholds';
import { THRESHOLD_FIELDS } from './admin.schemas';
import type { JournalPage } from './admin.service';

const regionName = (code: string) => getRegion(code)?.name ?? code;
const numberText = (n: number) => String(n).replace('.', ',');

/** The 18 régions as checkboxes, `prefix` making the ids unique on a page with several forms. */
export function regionChoices(prefix: string, checked: readonly string[]) {
  return listRegions().map((r) => ({ code: r.code, name: r.name, id: `${prefix}-${r.code}`, checked: checked.includes(r.code) }));
}

/**
 * Moderators and admins as cards. `failed` is the moderator whose région form
 * was just rejected: their boxes show what was submitted.
 */
export function presentStaff(list: MemberDoc[], actor: Actor, failed?: { id: string; regions: string[] }) {
  return list.map((m) => {
    const id = String(m._id);
    const isAdminRole = m.role === 'admin';
    const regions = isAdminRole ? [] : [...(m.moderatorRegions ?? [])];
    const isFailed = failed?.id === id;
    return {
      id,
      name: `${m.firstName} ${m.lastName}`,
      email: m.email,
      homeRegion: regionName(m.region),
      isAdmin: isAdminRole,
      isSelf: id === actor.id,
      regionNames: regions.map(regionName).sort((a, b) => a.localeCompare(b, 'fr')).join(', ') || 'aucune région',
      failed: isFailed,
      choices: regionChoices(`region-${id}`, isFailed ? failed.regions : regions),
      can: { change: !isAdminRole && memberPolicy.changeRole(actor, { id, region: m.region }) },
    };
  });
}

/** One editable row per reason; `removed` comes from a rejected submission; `prefix` keeps ids unique (two lists on the page). */
export function presentReasonRows(rows: Array<Reason & { removed?: boolean }>, prefix = '') {
  return rows.map((r) => ({ code: r.code, label: r.label, removed: !!r.removed, inputId: `${prefix}label-${r.code}`, removeId: `${prefix}remove-${r.code}` }));
}

const THRESHOLD_SECTIONS: Array<{ title: string; keys: Array<keyof Thresholds> }> = [
  {
    title: 'Signalements et effets automatiques',
    keys: ['reportWindowDays', 'needsCheckScore', 'needsCheckReporters', 'maskScore', 'maskReporters', 'maskPositiveGraceDays', 'personalDataScore', 'trustedLevel', 'wrongCallersToFlag', 'callWindowDays'],
  },
  { title: 'Agents listés', keys: ['agentCampaignMonths', 'agentCampaignPerDay'] },
  { title: 'Limites par membre', keys: ['ratingsPerDay', 'signalsPerDay', 'reportsPerDay', 'callsPerDay', 'confirmationCooldownDays'] },
  { title: 'Fraîcheur et classement', keys: ['validityHalfLifeDays', 'qualityHalfLifeDays', 'staleMonths', 'archiveMonths', 'archiveAfterNeedsCheckDays', 'recheckGraceDays', 'minVotesShown'] },
  {
    title: 'Consultation de l’annuaire (contre la copie en masse)',
    keys: ['searchesPerHour', 'searchesPerDay', 'contactViewsPerHour', 'contactViewsPerDay', 'vcardsPerHour', 'vcardsPerDay', 'searchJsonMaxPage'],
  },
];

/** The thresholds form, in sections, each field with its label, hint and default. */
export function presentThresholdSections() {
  return THRESHOLD_SECTIONS.map((s) => ({
    title: s.title,
    fields: s.keys.map((key) => ({
      key,
      inputmode: ThresholdsSchema.shape[key].isInt ? 'numeric' : 'decimal',
      label: THRESHOLD_FIELDS[key].label,
      hint: `${THRESHOLD_FIELDS[key].hint} Valeur par défaut : ${numberText(DEFAULT_THRESHOLDS[key])}.`,
    })),
  }));
}

/** Current values as the form shows them (French decimal comma). */
export function thresholdValues(t: Thresholds): Record<string, string> {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, numberText(v)]));
}

// --- Audit log -----------------------------------------------------------------------------------

/** Fields the administration pages change; the others are the cards' and accounts' (moderation/audit.presenter.ts). */
const FIELD_LABELS: Record<string, string> = {
  role: 'rôle',
  moderatorRegions: 'régions modérées',
};

const ROLE_LABELS: Record<string, string> = { member: 'membre', moderator: 'modérateur', admin: 'administrateur' };

const dateTimeFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });

function valueText(field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => valueText(field, x)).join(', ') : 'aucune';
  if (field === 'role' && typeof v === 'string') return ROLE_LABELS[v] ?? v;
  if (field === 'moderatorRegions' && typeof v === 'string') return regionName(v);
  if (typeof v === 'number') return numberText(v);
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function isAdminField(field: string): boolean {
  return field in FIELD_LABELS || field in THRESHOLD_FIELDS || field.startsWith('reason:') || field.startsWith('approvalReason:');
}

function fieldLabel(field: string): string {
  if (field in FIELD_LABELS) return FIELD_LABELS[field];
  if (field in THRESHOLD_FIELDS) return THRESHOLD_FIELDS[field as keyof Thresholds].label;
  if (field.startsWith('reason:')) return `motif de refus « ${field.slice(7)} »`;
  if (field.startsWith('approvalReason:')) return `motif d’approbation « ${field.slice(15)} »`;
  return field;
}

function presentChange(c: { field?: string | null; before?: unknown; after?: unknown }) {
  const field = c.field ?? '';
  if (!isAdminField(field)) return presentAuditChange(c);
  return { field: fieldLabel(field), before: valueText(field, c.before), after: valueText(field, c.after) };
}

/** One event as a French sentence; `cards` names the cards the page loaded (by `_id`), linked to their page. */
export function presentEvent(e: ModerationEventDoc, cards: ReadonlyMap<string, string> = new Map()) {
  const title = e.contactId ? cards.get(String(e.contactId)) : undefined;
  return {
    at: dateTimeFormat.format(e.at),
    iso: e.at.toISOString(),
    sentence: auditSentence(e, title ? { title, url: `/contacts/${e.contactId}` } : undefined),
    region: e.region ? regionName(e.region) : 'National',
    changes: (e.changes ?? []).map(presentChange),
    message: e.message,
  };
}

/** The journal's action filter: every catalogue code under its French label. */
export function actionOptions(selected?: string) {
  const options: Array<{ code: string; label: string; selected: boolean }> = AUDIT_ACTION_CODES.map((code) => ({
    code,
    label: AUDIT_ACTIONS[code].label,
    selected: code === selected,
  }));
  // An older link may filter on the start of a code: kept as a choice so the filter still shows.
  if (selected && !isAuditAction(selected)) options.unshift({ code: selected, label: `Actions commençant par « ${selected} »`, selected: true });
  return options;
}

type Filters = { region?: string; action?: string; acteur?: string; du?: string; au?: string };

function journalUrl(base: string, filters: Filters, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}

/** One page of the audit log with its filters and page links. */
export function presentJournal(page: JournalPage, filters: Filters, base: string, isAdminView: boolean) {
  const cards = new Map(page.contacts.map(({ contact, agency }) => [String(contact._id), contactTitle(contact, agency)]));
  return {
    base,
    isAdminView,
    total: page.total,
    page: page.page,
    totalPages: page.totalPages,
    events: page.events.map((e) => presentEvent(e, cards)),
    actionOptions: actionOptions(filters.action),
    filters,
    filtered: Object.values(filters).some(Boolean),
    regionOptions: page.regions.map((code) => ({ code, name: regionName(code) })).sort((a, b) => a.name.localeCompare(b.name, 'fr')),
    scopeLabel: page.all ? 'Toutes les régions' : filters.region ? regionName(filters.region) : page.regions.map(regionName).join(', ') || 'aucune région',
    prev: page.page > 1 ? journalUrl(base, filters, page.page - 1) : undefined,
    next: page.page < page.totalPages ? journalUrl(base, filters, page.page + 1) : undefined,
  };
}
