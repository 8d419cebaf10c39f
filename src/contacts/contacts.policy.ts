/** Who may do what to a contact. Pure predicates; services enforce them. */
import { type Actor, isActive, moderatesRegion } from '../core/policy';
import { type ContactState, IN_REVIEW_STATES, isInReview, isVisibleState } from './contact-states';

export interface ContactTarget {
  state: ContactState | string;
  region: string;
  createdBy?: unknown;
}

const isAuthor = (actor: Actor | undefined, c: ContactTarget) => !!actor && !!c.createdBy && String(c.createdBy) === actor.id;
const isVisible = (c: ContactTarget) => isVisibleState(c.state);
/** The author follows their card while in review and sees why it was refused. */
const authorStates: readonly string[] = [...IN_REVIEW_STATES, 'rejected'];

export const contactPolicy = {
  /** Add a contact: any validated member. */
  propose: (actor: Actor | undefined) => isActive(actor),
  /** Published-like contacts to every member; the rest to their author (while in review) and the région's moderators. */
  view: (actor: Actor | undefined, c: ContactTarget) =>
    isActive(actor) && (isVisible(c) || (isAuthor(actor, c) && authorStates.includes(c.state)) || moderatesRegion(actor, c.region)),
  /** The agent's name and direct line of a restricted contact: the région's moderators only. */
  seePersonalDetails: (actor: Actor | undefined, c: ContactTarget) => c.state !== 'restricted' || moderatesRegion(actor, c.region),
  /** Suggest a change (a pending revision) to a visible contact. */
  suggestEdit: (actor: Actor | undefined, c: ContactTarget) => isActive(actor) && isVisible(c) && c.state !== 'restricted',
  /** Edit one's own contact directly while it is still in review. */
  editOwnDraft: (actor: Actor | undefined, c: ContactTarget) => isActive(actor) && isAuthor(actor, c) && isInReview(c.state),
  /** Decide on a contact or its revisions: a moderator of its région who did not write it. */
  moderate: (actor: Actor | undefined, c: ContactTarget) => moderatesRegion(actor, c.region) && !isAuthor(actor, c),
  /** Read its moderation history (who decided what, archive or restore it): the moderators of its région and admins. */
  readHistory: (actor: Actor | undefined, c: ContactTarget) => moderatesRegion(actor, c.region),
};

/** The policy as a map for templates. */
export function contactPolicyMap(actor: Actor | undefined, c: ContactTarget) {
  return {
    suggestEdit: contactPolicy.suggestEdit(actor, c),
    editOwnDraft: contactPolicy.editOwnDraft(actor, c),
    moderate: contactPolicy.moderate(actor, c),
    seePersonalDetails: contactPolicy.seePersonalDetails(actor, c),
  };
}
