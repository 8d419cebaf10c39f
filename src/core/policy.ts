/**
 * Actors, shared predicates and authorize(). Feature policies compose these
 * small predicates; services call authorize() right after loading a target.
 */
import { forbidden } from './errors';

export type Role = 'member' | 'moderator' | 'admin';
export type MemberStatus = 'unverified' | 'pending' | 'active' | 'rejected' | 'suspended';

/** The signed-in person as services and policies see them. */
export interface Actor {
  id: string;
  role: Role;
  status: MemberStatus;
  departement: string;
  region: string;
  /** Régions a moderator may act on; admins act everywhere. */
  moderatorRegions: string[];
  displayName: string;
  /** Trust level 1–3 (docs/trust.md « Trust levels and weights »); weighs signals. */
  level: number;
}

export const isActive = (a?: Actor | null): a is Actor => !!a && a.status === 'active';
export const isAdmin = (a?: Actor | null): boolean => isActive(a) && a.role === 'admin';
export const isModerator = (a?: Actor | null): boolean =>
  isActive(a) && (a.role === 'moderator' || a.role === 'admin');
/** Moderator of the given région, or an admin (national). */
export function moderatesRegion(a: Actor | null | undefined, region: string | undefined | null): boolean {
  if (!a || !isActive(a)) return false;
  if (a.role === 'admin') return true;
  return a.role === 'moderator' && !!region && a.moderatorRegions.includes(region);
}
export const isSelf = (a: Actor | null | undefined, id: unknown): boolean => !!a && !!id && a.id === String(id);

/** Throws a French 403 unless allowed. */
export function authorize(allowed: boolean, message?: string): asserts allowed {
  if (!allowed) throw forbidden(message);
}
