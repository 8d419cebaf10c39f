/**
 * Audit events → French sentences (the admin journal, a contact's history):
 * « Yann L. a publié la fiche « CAF de Loire-Atlantique — Nathalie B. » — motif : … »,
 * with state and field changes in French. The sentences come from the
 * catalogue (audit-actions.ts); the card's title only when the caller loaded it.
 */
import { STATE_LABELS } from '../contacts/contact-states';
import { FIELD_NAMES } from '../contacts/contact-input';
import { getRegion } from '../reference/territories';
import { auditActionOf } from '../audit/audit-actions';
import type { ModerationEventDoc } from '../audit/moderation-event.model';
import { presentDiff } from './moderation.presenter';

const lowerFirst = (s: string) => s.slice(0, 1).toLowerCase() + s.slice(1);

const FIELD_LABELS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(FIELD_NAMES).map(([k, v]) => [k, lowerFirst(v)])),
  state: 'état',
  status: 'statut',
  agencyStatus: 'organisme',
  emailDomains: 'domaines e-mail',
  agentName: 'nom de l’agent',
};

const MEMBER_STATUS_LABELS: Record<string, string> = { unverified: 'e-mail à confirmer', pending: 'en attente', active: 'actif', rejected: 'refusé', suspended: 'suspendu' };
const AGENCY_STATUS_LABELS: Record<string, string> = { pending: 'en attente', active: 'validé' };

/** One change as the journal shows it: French field name, French values (states, statuses). */
export function presentAuditChange(c: { field?: string | null; before?: unknown; after?: unknown }): { field: string; before: string; after: string } {
  const field = c.field ?? '';
  const labels: Record<string, string> | undefined =
    field === 'state'
      ? Object.fromEntries(Object.entries(STATE_LABELS).map(([k, v]) => [k, lowerFirst(v)]))
      : field === 'status'
        ? MEMBER_STATUS_LABELS
        : field === 'agencyStatus'
          ? AGENCY_STATUS_LABELS
          : undefined;
  if (labels) {
    const text = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : (labels[String(v)] ?? String(v)));
    return { field: FIELD_LABELS[field], before: text(c.before), after: text(c.after) };
  }
  const [row] = presentDiff([c]);
  return { field: FIELD_LABELS[field] ?? row.field ?? field, before: row.before, after: row.after };
}

/** The sentence in three parts, so that a template can link the card's title. */
export interface AuditSentence {
  before: string;
  target?: string;
  targetUrl?: string;
  after: string;
  /** The whole sentence as plain text. */
  text: string;
}

/**
 * The sentence of an event. `contact` names the card (« Organisme — Nathalie B. »), linked;
 * without it the sentence says « la fiche ». A code the catalogue lacks (an
 * event written by an older version) still reads as French.
 */
export function auditSentence(e: Pick<ModerationEventDoc, 'action' | 'actorName' | 'reason'>, contact?: { title: string; url?: string }): AuditSentence {
  const actor = e.actorName || 'Système';
  const template = auditActionOf(e.action)?.sentence ?? '{acteur} a fait une action non répertoriée';
  const [rawHead, tail = ''] = template.split('{cible}');
  // A function, so that a name holding « $& » is written as it is.
  const head = rawHead.replace('{acteur}', () => actor);
  const motif = e.reason ? ` — motif : ${e.reason.trim()}` : '';
  const end = (text: string) => (/[.!?…]$/.test(text) ? '' : '.');
  if (contact && template.includes('{cible}')) {
    const target = `« ${contact.title} »`;
    const after = `${tail}${motif}`;
    return { before: head, target, targetUrl: contact.url, after: `${after}${end(after)}`, text: `${head}${target}${after}${end(after)}` };
  }
  const before = `${head}${tail}`.replace(/ {2,}/g, ' ').replace(/ ,/g, ',').trim();
  const text = `${before}${motif}`;
  return { before, after: `${motif}${end(text)}`, text: `${text}${end(text)}` };
}

/** One event of a contact's history page (the card is the page's own: not named again). */
export function presentHistoryEvent(e: ModerationEventDoc) {
  return {
    at: e.at,
    sentence: auditSentence(e),
    message: e.message,
    region: getRegion(e.region ?? '')?.name ?? e.region,
    changes: (e.changes ?? []).map(presentAuditChange),
  };
}
