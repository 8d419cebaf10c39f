/** Who may see and use an agency. Pure predicates; services enforce them. */
import { type Actor, isActive, isSelf, moderatesRegion } from '../core/policy';

export interface AgencyTarget {
  status?: string | null;
  region: string;
  createdBy?: unknown;
}

/** A new agency waits for the moderation of the contact that created it (docs/moderation.md, « Nouveaux organismes »). */
const inReview = (a: AgencyTarget) => a.status === 'pending' || a.status === 'rejected';
const creatorOrModerator = (actor: Actor | undefined, a: AgencyTarget) => isSelf(actor, a.createdBy) || moderatesRegion(actor, a.region);

export const agencyPolicy = {
  /** Its page and its name on a card: every member, except while in review (its creator and its région's moderators only). */
  view: (actor: Actor | undefined, a: AgencyTarget) => isActive(actor) && (!inReview(a) || creatorOrModerator(actor, a)),
  /** Put a contact in it: an active agency, or one still pending for its creator and its région's moderators. */
  attach: (actor: Actor | undefined, a: AgencyTarget) => isActive(actor) && (a.status === 'active' || (a.status === 'pending' && creatorOrModerator(actor, a))),
  /** Approve it (with the contact that created it): a moderator of its région or an admin. */
  approve: (actor: Actor | undefined, a: AgencyTarget) => moderatesRegion(actor, a.region),
};
