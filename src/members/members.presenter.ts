/** Member documents → what views and exports need, never more. */
import { getDepartement, getRegion } from '../reference/territories';
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
