/** Factories: saved documents with sensible defaults and Partial overrides. */
import { Member, type MemberDoc } from '../../src/members/member.model';
import { hashPassword } from '../../src/members/passwords';

export const TEST_PASSWORD = 'une phrase de passe assez longue';
let counter = 0;
let cachedHash: string | undefined;

type MemberOverrides = Partial<Omit<MemberDoc, '_id'>> & { password?: string };

/** An active, verified member of Loire-Atlantique (44, Pays de la Loire 52) unless overridden. */
export async function buildMember(overrides: MemberOverrides = {}): Promise<MemberDoc> {
  const n = ++counter;
  const { password, ...rest } = overrides;
  cachedHash ??= await hashPassword(TEST_PASSWORD);
  const doc = await Member.create({
    email: `membre${n}.${Date.now()}@ccas-test.fr`,
    passwordHash: password ? await hashPassword(password) : cachedHash,
    firstName: `Prénom${n}`,
    lastName: `Nom${n}`,
    profession: 'ass',
    employer: 'CCAS de Nantes',
    departement: '44',
    region: '52',
    status: 'active',
    role: 'member',
    emailVerifiedAt: new Date(),
    ...rest,
  });
  return doc.toObject() as MemberDoc;
}

export const buildModerator = (regions: string[] = ['52'], overrides: MemberOverrides = {}) =>
  buildMember({ role: 'moderator', moderatorRegions: regions, ...overrides });

export const buildAdmin = (overrides: MemberOverrides = {}) => buildMember({ role: 'admin', departement: '75', region: '11', ...overrides });

export const buildApplicant = (overrides: MemberOverrides = {}) => buildMember({ status: 'pending', ...overrides });
