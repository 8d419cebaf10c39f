/** Who may send which signal about a contact. Rate the line, never the person (domain §5.6). */
import { type Actor, isActive } from '../core/policy';
import { VISIBLE_STATES } from '../contacts/contact.model';

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
};
