/** Who may send which signal about a contact. Rate the line, never the person (docs/trust.md). */
import { type Actor, isActive } from '../core/policy';
import { VISIBLE_STATES } from '../contacts/contact-states';

interface Target {
  state: string;
  createdBy?: unknown;
}

const visible = (c: Target) => (VISIBLE_STATES as readonly string[]).includes(c.state);
const isAuthor = (a: Actor | undefined, c: Target) => !!a && !!c.createdBy && String(c.createdBy) === a.id;

export const signalPolicy = {
  /** Usefulness: members, on visible contacts they did not add themselves. */
  rate: (a: Actor | undefined, c: Target) => isActive(a) && visible(c) && !isAuthor(a, c),
  /** Validity confirmations: same rule, so nobody refreshes their own entry. */
  confirm: (a: Actor | undefined, c: Target) => isActive(a) && visible(c) && !isAuthor(a, c),
  /** Reports: any member on a visible contact, the author included (e.g. « la personne est partie »). */
  report: (a: Actor | undefined, c: Target) => isActive(a) && visible(c),
  /** « J’ai appelé »: members on visible contacts they did not add (the author has « Toujours valable »). */
  call: (a: Actor | undefined, c: Target) => isActive(a) && visible(c) && !isAuthor(a, c),
  /** « Toujours valable »: the author of a published or « à vérifier » card (never a restricted one: the agent or a moderator decided it). */
  recheck: (a: Actor | undefined, c: Target) => isActive(a) && isAuthor(a, c) && ['published', 'needs_check'].includes(c.state),
};
