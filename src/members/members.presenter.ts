/** Member documents → what views and exports need, never more. */
import { getDepartement, getRegion, groupDepartementsByRegion } from '../reference/territories';
import type { Actor } from '../core/policy';
import { type MemberDoc, PROFESSIONS } from './member.model';
import { memberPolicy } from './members.policy';

export const STATUS_LABELS: Record<string, string> = {
  unverified: 'Adresse e-mail à confirmer',
  pending: 'En attente de validation par la modération de votre région',
  active: 'Compte actif',
  rejected: 'Demande refusée',
  suspended: 'Compte suspendu',
};

/** The actor as sessions and policies see it. */
export function toActor(m: MemberDoc): Actor {
  return {
    id: String(m._id),
    role: m.role as Actor['role'],
    status: m.emailVerifiedAt ? (m.status as Actor['status']) : 'unverified',
    departement: m.departement,
    region: m.region,
    moderatorRegions: m.role === 'moderator' ? [...(m.moderatorRegions ?? [])] : [],
    displayName: `${m.firstName} ${m.lastName}`,
    level: m.level ?? 1,
  };
}

export function presentApplication(m: MemberDoc, actor: Actor) {
  return {
    id: String(m._id),
    name: `${m.firstName} ${m.lastName}`,
    email: m.email,
    profession: PROFESSIONS[m.profession as keyof typeof PROFESSIONS] ?? m.profession,
    employer: m.employer,
    departement: `${getDepartement(m.departement)?.name ?? m.departement} (${m.departement})`,
    region: getRegion(m.region)?.name ?? m.region,
    membershipNumber: m.membershipNumber,
    appliedAt: m.createdAt,
    verifiedAt: m.emailVerifiedAt,
    can: { decide: memberPolicy.decide(actor, { id: String(m._id), region: m.region }) },
  };
}

const ROLE_LABELS: Record<string, string> = { member: 'Membre', moderator: 'Modérateur·rice', admin: 'Administrateur·rice' };
const MODERATION_STATUS_LABELS: Record<string, string> = { ...STATUS_LABELS, pending: 'En attente de validation' };

/** A member as moderators see them on the member page, with what the actor may do. */
export function presentMemberForModeration(m: MemberDoc, actor: Actor) {
  const target = { id: String(m._id), region: m.region, role: m.role };
  const mayChange = memberPolicy.suspend(actor, target);
  return {
    id: String(m._id),
    name: `${m.firstName} ${m.lastName}`,
    email: m.email,
    profession: PROFESSIONS[m.profession as keyof typeof PROFESSIONS] ?? m.profession,
    employer: m.employer,
    departement: `${getDepartement(m.departement)?.name ?? m.departement} (${m.departement})`,
    region: getRegion(m.region)?.name ?? m.region,
    role: ROLE_LABELS[m.role] ?? m.role,
    status: m.status,
    statusLabel: MODERATION_STATUS_LABELS[m.status] ?? m.status,
    createdAt: m.createdAt,
    lastLoginAt: m.lastLoginAt,
    can: { suspend: mayChange && m.status === 'active', reactivate: mayChange && m.status === 'suspended' },
  };
}

export function presentAccount(m: MemberDoc) {
  const actor = toActor(m);
  return {
    email: m.email,
    firstName: m.firstName,
    lastName: m.lastName,
    profession: m.profession,
    employer: m.employer,
    departement: m.departement,
    membershipNumber: m.membershipNumber ?? '',
    status: actor.status,
    statusLabel: STATUS_LABELS[actor.status],
    rejectionReason: m.status === 'rejected' ? m.rejectionReason : undefined,
    role: m.role,
    regionName: getRegion(m.region)?.name ?? m.region,
    moderatorRegionNames: actor.moderatorRegions.map((r) => getRegion(r)?.name ?? r),
    createdAt: m.createdAt,
  };
}

/** Everything stored about the member, for the right of access (RGPD art. 15). */
export function presentExport(m: MemberDoc) {
  return {
    exportedAt: new Date().toISOString(),
    account: {
      email: m.email,
      firstName: m.firstName,
      lastName: m.lastName,
      profession: m.profession,
      employer: m.employer,
      departement: m.departement,
      region: m.region,
      membershipNumber: m.membershipNumber ?? null,
      status: m.status,
      role: m.role,
      moderatorRegions: m.moderatorRegions,
      level: m.level,
      emailVerifiedAt: m.emailVerifiedAt ?? null,
      lastLoginAt: m.lastLoginAt ?? null,
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
    },
  };
}

const professions = Object.entries(PROFESSIONS).map(([code, label]) => ({ code, label }));
/** The lists of the registration form, which the profile form shares (professions, régions and their départements). */
export const registerLocals = () => ({ title: 'Demander un accès', professions, regions: groupDepartementsByRegion() });
