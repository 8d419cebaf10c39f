/**
 * The one home of a contact's lifecycle (docs/contact-lifecycle.md): its
 * states and their French labels, the sets derived from them, and the table
 * of allowed transitions (from → to, by whom). The one function that changes
 * a card's state, `changeState` in contact-store.ts, refuses what this table
 * forbids. Pure definitions: no database here.
 */
export const CONTACT_STATES = ['pending', 'published', 'changes_requested', 'needs_check', 'restricted', 'archived', 'rejected', 'merged', 'erased'] as const;
export type ContactState = (typeof CONTACT_STATES)[number];

export const STATE_LABELS: Record<ContactState, string> = {
  pending: 'En attente de vérification par la modération',
  published: 'Publié',
  changes_requested: 'Modifications demandées par la modération',
  needs_check: 'À vérifier',
  restricted: 'Informations personnelles masquées',
  archived: 'Archivé',
  rejected: 'Refusé ou retiré',
  merged: 'Fusionné avec une autre fiche',
  erased: 'Effacé',
};

/** States every member may see (the restricted ones without the agent's name and direct lines). */
export const VISIBLE_STATES: readonly ContactState[] = ['published', 'needs_check', 'restricted'];
/** States the search index holds: exactly the visible ones. */
export const INDEXED_STATES = VISIBLE_STATES;
/** States a moderator has not decided yet: seen by their author and the région's moderators only. */
export const IN_REVIEW_STATES: readonly ContactState[] = ['pending', 'changes_requested'];
/** States an agent may object to: a card that shows them now, or may soon. */
export const LIVE_STATES: readonly ContactState[] = [...VISIBLE_STATES, ...IN_REVIEW_STATES];
/** Phone kinds that belong to the person rather than the service: hidden by a restriction, erased by an upheld objection. */
export const PERSONAL_PHONE_KINDS: readonly string[] = ['direct', 'mobile'];

export const isVisibleState = (s: string) => (VISIBLE_STATES as readonly string[]).includes(s);
export const isInReview = (s: string) => (IN_REVIEW_STATES as readonly string[]).includes(s);

/** Whether the card's latest check is its agent's own confirmation (docs/agents.md): shown as « confirmé par l’agent ». */
export const agentConfirmedLast = (c: { agentConfirmedAt?: Date | null; lastVerifiedAt?: Date | null }) =>
  !!c.agentConfirmedAt && !!c.lastVerifiedAt && c.agentConfirmedAt >= c.lastVerifiedAt;

/** How a card is named in mails, the queue and the audit: the agent, else the service or function. */
export function contactLabel(c: { agentFirstName?: string | null; agentLastName?: string | null; service?: string | null; function?: string | null }): string {
  return [c.agentFirstName, c.agentLastName].filter(Boolean).join(' ') || c.service || c.function || 'Ligne de service';
}

/**
 * Who changes a state: the card's author (resubmitting a draft), a moderator
 * of its région, the listed agent's confirmed objection, the listed agent from
 * their own page (docs/agents.md), members' signals (computed), or a
 * scheduled job (computed).
 */
export const STATE_ACTORS = ['author', 'moderator', 'objection', 'agent', 'signals', 'job'] as const;
export type StateActor = (typeof STATE_ACTORS)[number];
export type StateAction =
  | 'resubmit'
  | 'publish'
  | 'request_changes'
  | 'reject'
  | 'merge'
  | 'archive'
  | 'restore'
  | 'verify'
  | 'restrict'
  | 'withdraw'
  | 'erase'
  | 'flag'
  | 'recover'
  | 'expire'
  | 'confirm'
  | 'hand_over'
  | 'recheck';

export interface Transition {
  action: StateAction;
  by: StateActor;
  from: readonly ContactState[];
  to: ContactState;
  /** Makes the agent's name and direct lines visible again: refused once the agent objected (an objection wins). */
  reveals?: boolean;
}

const REVIEW = IN_REVIEW_STATES;
/**
 * Every allowed change. What is not here is refused. Computed actors
 * (signals, job) only move between published, needs_check and restricted:
 * they never leave a state a person decided (archived, rejected, merged,
 * erased) nor lift a restriction, so a decision always wins over a signal.
 */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'resubmit', by: 'author', from: REVIEW, to: 'pending' },
  // The author's « Toujours valable » on a card a job or the calls put to « à vérifier » (never one a moderator or an objection decided).
  { action: 'recheck', by: 'author', from: ['needs_check'], to: 'published' },
  { action: 'publish', by: 'moderator', from: REVIEW, to: 'published' },
  { action: 'request_changes', by: 'moderator', from: REVIEW, to: 'changes_requested' },
  { action: 'reject', by: 'moderator', from: REVIEW, to: 'rejected' },
  { action: 'merge', by: 'moderator', from: [...REVIEW, 'published', 'needs_check'], to: 'merged' },
  { action: 'archive', by: 'moderator', from: ['published', 'needs_check', 'restricted'], to: 'archived' },
  { action: 'restore', by: 'moderator', from: ['archived'], to: 'published', reveals: true },
  // A moderator's check of a reported, stale or signal-restricted card. Not of a card an agent objected to (see objectedAt).
  { action: 'verify', by: 'moderator', from: ['published', 'needs_check', 'restricted'], to: 'published', reveals: true },
  // Upholding an objection erases the person; a card that no moderator published never becomes visible by it.
  { action: 'erase', by: 'moderator', from: ['restricted'], to: 'published' },
  { action: 'erase', by: 'moderator', from: ['restricted', 'rejected', 'archived', 'merged'], to: 'erased' },
  { action: 'restrict', by: 'objection', from: ['published', 'needs_check', 'restricted'], to: 'restricted' },
  { action: 'withdraw', by: 'objection', from: REVIEW, to: 'rejected' },
  // The listed agent, from their own page: « still right » (a computed needs_check gives way to it), or « I am leaving this post ».
  // Neither reveals anything: a card an agent can act on is visible and not objected to (agents/agent-links.ts).
  { action: 'confirm', by: 'agent', from: ['published', 'needs_check'], to: 'published' },
  { action: 'hand_over', by: 'agent', from: ['published', 'needs_check'], to: 'needs_check' },
  { action: 'flag', by: 'signals', from: ['published'], to: 'needs_check' },
  { action: 'recover', by: 'signals', from: ['needs_check'], to: 'published' },
  { action: 'restrict', by: 'signals', from: ['published', 'needs_check'], to: 'restricted' },
  { action: 'flag', by: 'job', from: ['published'], to: 'needs_check' },
  { action: 'expire', by: 'job', from: ['needs_check'], to: 'archived' },
];

/** The rule that allows `action` by `by` from `from` (to `to`, when several rules share the action), if any. */
export function findTransition(by: StateActor, action: StateAction, from: string, to?: ContactState): Transition | undefined {
  return TRANSITIONS.find((t) => t.by === by && t.action === action && (t.from as readonly string[]).includes(from) && (!to || t.to === to));
}

/** Why a transition is refused for this card although the table has it, if it is. */
export function vetoOf(rule: Transition, c: { objectedAt?: Date | null }): string | undefined {
  if (rule.reveals && c.objectedAt)
    return 'L’agent s’est opposé à sa présence dans l’annuaire : sa fiche ne peut plus être rendue visible. Appliquez l’opposition depuis la file de modération.';
  return undefined;
}

/** Whether a computed actor may move a card from one state to another (used to guard derived states). */
export const allows = (by: StateActor, from: string, to: string) =>
  TRANSITIONS.some((t) => t.by === by && t.to === to && (t.from as readonly string[]).includes(from));
