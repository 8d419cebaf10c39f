/** Who may do what to a member account. Pure predicates; services enforce them. */
import { type Actor, isAdmin, isSelf, moderatesRegion } from '../core/policy';

interface MemberTarget {
  id: string;
  region: string;
}

export const memberPolicy = {
  /** Approve or reject an application: a moderator of the applicant's région or an admin, never oneself. */
  decide: (actor: Actor | undefined, target: MemberTarget) => moderatesRegion(actor, target.region) && !isSelf(actor, target.id),
  /** See the pending applications of a région. */
  listApplications: (actor: Actor | undefined, region: string) => moderatesRegion(actor, region),
  /** Change a role or a moderator's régions: admins only, never their own. */
  changeRole: (actor: Actor | undefined, target: MemberTarget) => isAdmin(actor) && !isSelf(actor, target.id),
};
