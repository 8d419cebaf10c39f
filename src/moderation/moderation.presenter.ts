/** Queue items and audit events → what moderation pages show. */
import type { AgencyDoc } from '../agencies/agency.model';
import type { AgentInformed, ContactDoc } from '../contacts/contact.model';
import type { ContactRevisionDoc } from '../contacts/contact-revision.model';
import { cardWords, FIELD_NAMES, flagMarks, flagReasons } from '../contacts/contact-input';
import { AGENT_INFORMED_LABELS, agentInformation, contactFormValues, presentAgencySummary, presentContact } from '../contacts/contacts.presenter';
import { formatForDisplay } from '../contacts/phone';
import { relativeFromNow } from '../core/dates';
import type { Actor } from '../core/policy';
import type { MemberDoc } from '../members/member.model';
import { presentApplication } from '../members/members.presenter';
import { getTopic } from '../reference/catalog';
import { getDepartement, getRegion } from '../reference/territories';
import { REPORT_KINDS } from '../signals/signals.types';
import type { Reason } from '../settings/reasons';
import { highlight, type Segment } from './highlights';
import { ACTIONS, type Action, type BatchEntry, isApproval, type QueueEntry } from './moderation.service';
import { contactLabel, type ContactState, STATE_LABELS } from '../contacts/contact-states';
import { ITEM_TYPES, OVERDUE_DAYS, type QueueItemDoc } from '../inbox/queue';

export function presentQueueItem(item: QueueItemDoc) {
  const claimActive = item.claim?.until && new Date(item.claim.until) > new Date();
  return {
    id: String(item._id),
    type: item.type,
    typeLabel: ITEM_TYPES[item.type].label,
    region: getRegion(item.region)?.name ?? item.region,
    reasons: item.reasons.map((r) => r.label),
    age: relativeFromNow(item.createdAt),
    overdue: Date.now() - item.createdAt.getTime() > OVERDUE_DAYS * 24 * 3600 * 1000,
    priority: item.priority,
    reportScore: item.reportScore,
    claimedBy: claimActive ? item.claim?.byName : undefined,
  };
}

/** « Nathalie B., référente RSA », « Pôle partenaires »: the person (first name, initial) and their function, or the service. */
function whoOf(c: ContactDoc): string {
  const initial = c.agentLastName ? ` ${c.agentLastName.slice(0, 1).toUpperCase()}.` : '';
  const person = c.kind === 'agent' && c.agentFirstName ? `${c.agentFirstName}${initial}` : undefined;
  const role = person ? c.function || c.service : c.service || c.function;
  return [person, role].filter(Boolean).join(', ') || 'Ligne de service';
}

/** « CAF de Loire-Atlantique — Nathalie B., référente RSA »: how the queue and the journal name a card. */
export function contactTitle(contact: ContactDoc, agency?: Pick<AgencyDoc, 'name'> | null): string {
  return `${agency?.name ?? 'Organisme inconnu'} — ${whoOf(contact)}`;
}

/** The title of a queue line: the agency and the person or service (the applicant for an access request). */
export function queueTitle(e: Pick<QueueEntry, 'item' | 'contact' | 'agency' | 'member'>): string {
  if (e.contact) return contactTitle(e.contact, e.agency);
  if (e.member) {
    const m = e.member;
    return `${m.employer || 'Structure non précisée'} — ${m.firstName} ${m.lastName.slice(0, 1).toUpperCase()}.`;
  }
  return e.item.reasons[0]?.label ?? ITEM_TYPES[e.item.type].label;
}

/** One line of the queue: title, type, age, flags, région and département, and whether it can be approved from the list. */
export function presentQueueEntry(e: QueueEntry) {
  return {
    ...presentQueueItem(e.item),
    title: queueTitle(e),
    version: e.item.version,
    flagged: e.flags.length > 0,
    flagLabels: flagReasons(e.flags),
    departement: e.departement ? `${getDepartement(e.departement)?.name ?? e.departement} (${e.departement})` : undefined,
    firstReason: e.item.reasons[0]?.label,
    quickApprove: e.quickApprove,
    importBatchUrl: e.contact?.importBatchId && e.item.type === 'new_contact' ? `/moderation/imports/${e.contact.importBatchId}` : undefined,
  };
}

/** An import batch's page: its cards, which still wait, which need reading. */
export function presentImportBatch(batchId: string, entries: BatchEntry[]) {
  const cards = entries.map((e) => ({
    label: contactLabel(e.contact),
    agencyName: e.agency?.name ?? '',
    agencyPending: e.agency?.status === 'pending',
    stateLabel: STATE_LABELS[e.contact.state as ContactState] ?? e.contact.state,
    itemUrl: e.item ? `/moderation/elements/${e.item._id}` : undefined,
    quickApprove: e.quickApprove,
    flagLabels: flagReasons(e.flags),
  }));
  return {
    batchId,
    cards,
    total: cards.length,
    waiting: entries.filter((e) => e.item).length,
    approvable: entries.filter((e) => e.quickApprove).length,
    toRead: entries.filter((e) => e.item && !e.quickApprove).length,
  };
}

function show(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (field === 'phones' && Array.isArray(value)) {
    return value
      .map((p: { e164: string; kind: string; extension?: string }) => `${formatForDisplay(p.e164)}${p.extension ? ` poste ${p.extension}` : ''} (${p.kind})`)
      .join(', ');
  }
  if (field === 'topics' && Array.isArray(value)) return value.map((t) => getTopic(String(t))?.label ?? t).join(', ');
  if (field === 'kind') return value === 'agent' ? 'Personne nommée' : 'Ligne de service';
  if (field === 'agentInformed') return AGENT_INFORMED_LABELS[value as AgentInformed] ?? String(value);
  return String(value);
}

/** Field-level changes for a table; `marks` (flagMarks) puts the screening's « à vérifier » next to a field. */
export function presentDiff(changes: Array<{ field?: string | null; before?: unknown; after?: unknown }>, marks: Record<string, string> = {}) {
  return changes.map((c) => ({
    field: FIELD_NAMES[c.field ?? ''] ?? c.field,
    before: show(c.field ?? '', c.before),
    after: show(c.field ?? '', c.after),
    mark: marks[c.field ?? ''],
  }));
}

/** Items whose contact's own screening flags are what the moderator decides on (a new or resubmitted card). */
const CARD_SCREENED_TYPES: readonly string[] = ['new_contact', 'duplicate'];

/** The screening flags behind an item: the revision's for an edit, the card's for a new card. */
function screeningFlagsOf(item: QueueItemDoc, contact: ContactDoc | null, revision: ContactRevisionDoc | null) {
  if (revision) return revision.screeningFlags.map((f) => ({ field: f.field ?? '', kind: f.kind ?? '' }));
  if (contact && CARD_SCREENED_TYPES.includes(item.type)) return contact.screeningFlags.map((f) => ({ field: f.field ?? '', kind: f.kind ?? '' }));
  return [];
}

export function presentItemDetail(
  actor: Actor,
  data: {
    item: QueueItemDoc;
    contact: ContactDoc | null;
    agency?: AgencyDoc | null;
    revision: ContactRevisionDoc | null;
    member: MemberDoc | null;
    reports: Array<{ kind: string; text?: string | null; createdAt: Date; weight: number; screeningFlags?: Array<{ field?: string | null; kind?: string | null }> }>;
    rating: { account?: string | null; useful: boolean; screeningFlags?: Array<{ field?: string | null; kind?: string | null }> } | null;
    canDecide: boolean;
    actions: readonly Action[];
    decisionReasons: Reason[];
    approvalReasons: Reason[];
  },
) {
  const { item } = data;
  const flags = screeningFlagsOf(item, data.contact, data.revision);
  const marks = flagMarks(flags);
  const allowWords = data.agency && data.agency.status !== 'pending' ? [data.agency.name, data.agency.commune ?? ''] : [];
  const kindsOf = (field: string) => flags.filter((f) => f.field === field).map((f) => f.kind);
  // The flagged words of the card's own text (a new card) or of the proposed values (an edit).
  const highlights: Record<string, Segment[] | undefined> = {};
  const textOf = (field: string): string | undefined => {
    const change = data.revision?.changes.find((c) => c.field === field);
    if (data.revision) return typeof change?.after === 'string' ? change.after : undefined;
    if (field === 'newAgencyName') return data.agency?.name;
    if (field === 'newAgencyCommune') return data.agency?.commune ?? undefined;
    const value = (data.contact as Record<string, unknown> | null)?.[field];
    return typeof value === 'string' ? value : undefined;
  };
  for (const field of new Set(flags.map((f) => f.field))) highlights[field] = highlight(textOf(field), kindsOf(field), allowWords);
  // A report's text was screened with the card's own words allowed (signals.service reportContact).
  const reportAllowWords = data.contact ? cardWords(data.contact) : [];
  return {
    ...presentQueueItem(item),
    version: item.version,
    status: item.status,
    resolution: item.resolution?.action
      ? {
          action: ACTIONS[item.resolution.action as Action] ?? item.resolution.action,
          by: item.resolution.byName,
          at: item.resolution.at,
          reason: item.resolution.reason,
        }
      : undefined,
    contact: data.contact && data.agency ? presentContact(data.contact, data.agency, actor) : undefined,
    contactValues: data.contact ? contactFormValues(data.contact) : undefined,
    // An agency created with this card: approving the card publishes it (agencies.service approvePendingAgency).
    newAgency:
      data.agency?.status === 'pending'
        ? { ...presentAgencySummary(data.agency), nameMark: marks.newAgencyName, communeMark: marks.newAgencyCommune }
        : undefined,
    screening: flagReasons([...flags, ...(item.screeningFlags ?? []).map((f) => ({ field: f.field ?? '', kind: f.kind ?? '' }))]),
    marks: { ...marks, agentName: [marks.agentFirstName, marks.agentLastName].filter(Boolean).join(' ; ') || undefined },
    agentInformation: data.contact ? agentInformation(data.contact) : undefined,
    diff: data.revision
      ? presentDiff(data.revision.changes, marks).map((row, i) => ({ ...row, afterMarked: highlights[data.revision!.changes[i].field ?? ''] }))
      : undefined,
    highlights,
    revisionNote: data.revision?.note,
    application: data.member ? presentApplication(data.member, actor) : undefined,
    reports: data.reports.map((r) => ({
      kind: REPORT_KINDS[r.kind as keyof typeof REPORT_KINDS] ?? r.kind,
      text: r.text,
      textMarked: highlight(r.text, (r.screeningFlags ?? []).map((f) => f.kind ?? ''), reportAllowWords),
      textMark: flagMarks((r.screeningFlags ?? []).map((f) => ({ field: 'text', kind: f.kind ?? '' }))).text,
      age: relativeFromNow(r.createdAt),
      weight: r.weight,
    })),
    account: data.rating?.account,
    accountMarked: highlight(data.rating?.account, (data.rating?.screeningFlags ?? []).map((f) => f.kind ?? ''), reportAllowWords),
    accountMark: flagMarks((data.rating?.screeningFlags ?? []).map((f) => ({ field: 'account', kind: f.kind ?? '' }))).account,
    timeline: item.timeline.map((t) => ({
      at: t.at,
      action: ACTIONS[t.action as Action] ?? TIMELINE_LABELS[t.action ?? ''] ?? t.action,
      by: t.byName,
      detail: t.detail,
    })),
    notes: item.notes.map((n) => ({ by: n.byName, at: n.at, text: n.text })),
    canDecide: data.canDecide && item.status === 'open',
    actions: data.actions.map((a) => ({
      code: a,
      label: ACTIONS[a],
      needsReason: a === 'reject',
      needsMessage: a === 'request_changes',
      needsInto: a === 'merge',
      isEdit: a === 'approve_edited',
    })),
    /** The canned reasons of the decision form (the item's own reasons are `reasons`): refusal and approval lists. */
    decisionReasons: data.decisionReasons,
    approvalReasons: data.actions.some(isApproval) ? data.approvalReasons : [],
  };
}

const TIMELINE_LABELS: Record<string, string> = { opened: 'Ouvert', reason_added: 'Nouveau motif', claimed: 'Pris en charge' };
