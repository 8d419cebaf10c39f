/** Who may do what to a member account. Pure predicates; services enforce them. */
import { type Actor, isAdmin, isSelf, moderatesRegion } from '../core/policy';

interface MemberTarget {
  id: string;
  region: string;
  role?: string;
}

export const memberPolicy = {
  /** Approve or reject an application: a moderator of the applicant's région or an admin, never oneself. */
  decide: (actor: Actor | undefined, target: MemberTarget) => moderatesRegion(actor, target.region) && !isSelf(actor, target.id),
  /** See the pending applications of a région. */
  listApplications: (actor: Actor | undefined, region: string) => moderatesRegion(actor, region),
  /** Change a role or a moderator's régions: admins only, never their own. */
  changeRole: (actor: Actor | undefined, target: MemberTarget) => isAdmin(actor) && !isSelf(actor, target.id),
  /** See a member's page: a moderator of the member's région or an admin. */
  view: (actor: Actor | undefined, target: MemberTarget) => moderatesRegion(actor, target.region),
  /**
   * Suspend or reactivate: an admin for anyone, a moderator for plain members
   * of their régions (another moderator or an admin is the admins' call); never oneself.
   */
  suspend: (actor: Actor | undefined, target: MemberTarget) =>
    !isSelf(actor, target.id) && (isAdmin(actor) || (moderatesRegion(actor, target.region) && target.role === 'member')),
};
