import mongoose, { Types } from 'mongoose';
import { rememberOpenItem } from '../../src/inbox/queue';
/** Factories: saved documents with sensible defaults and Partial overrides. */
import { Agency, type AgencyDoc } from '../../src/agencies/agency.model';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { fictionalPhone } from '../../src/contacts/phone';
import { foldKey } from '../../src/core/text';
import type { Actor } from '../../src/core/policy';
import { Member, type MemberDoc } from '../../src/members/member.model';
import { hash } from '@node-rs/argon2';
import { hashPassword } from '../../src/members/passwords';

export const TEST_PASSWORD = 'une phrase de passe assez longue';

/** A hash made with argon2id's library defaults (19 MiB, 2 passes): what accounts created before today's settings hold. */
export function olderSettingsHash(password = TEST_PASSWORD): Promise<string> {
  return hash(password, { algorithm: 2 });
}
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

let phoneCounter = 0;

/** An active agency in Loire-Atlantique unless overridden. */
export async function buildAgency(overrides: Partial<Omit<AgencyDoc, '_id'>> = {}): Promise<AgencyDoc> {
  const n = ++counter;
  const name = overrides.name ?? `CAF test ${n}`;
  const doc = await Agency.create({
    name,
    nameKey: foldKey(name),
    typeCode: 'CAF',
    level: 'DEPARTEMENTAL',
    departement: '44',
    region: '52',
    commune: 'Nantes',
    postcode: '44000',
    status: 'active',
    ...overrides,
  });
  return doc.toObject() as AgencyDoc;
}

/** A fictional number (ARCEP fiction block) not used by another test contact. */
export function nextFictionalNumber(departement = '44'): string {
  return fictionalPhone(departement, ++phoneCounter).e164;
}

/** A published service line of `agency` with one fictional number unless overridden. */
export async function buildContact(agency: AgencyDoc, overrides: Record<string, unknown> = {}): Promise<ContactDoc> {
  const e164 = nextFictionalNumber(agency.departement);
  const doc = await Contact.create({
    agencyId: agency._id,
    kind: 'service_line',
    service: 'Service partenaires',
    phones: [{ e164, kind: 'service', numberType: 'fixed' }],
    phoneKeys: [e164],
    topics: ['RSA'],
    departement: agency.departement,
    region: agency.region,
    state: 'published',
    lastVerifiedAt: new Date(),
    ...overrides,
  });
  return doc.toObject() as ContactDoc;
}

/**
 * Inserts queue items as they are (aged, resolved…) and registers the open ones
 * in the queue's keyed sets, as enqueue() does.
 */
export async function insertQueueItems(items: Array<Record<string, unknown>>): Promise<void> {
  const docs: Array<Record<string, unknown>> = items.map((i) => ({ _id: new Types.ObjectId(), ...i }));
  await mongoose.connection.collection('queue_items').insertMany(docs);
  for (const d of docs) {
    if (d.status === 'open') await rememberOpenItem(d as unknown as Parameters<typeof rememberOpenItem>[0]);
  }
}

/** An actor as policies see it (no database): an active member of Loire-Atlantique unless overridden. For pure policy tests. */
export const buildActor = (overrides: Partial<Actor> = {}): Actor => ({
  id: 'a1',
  role: 'member',
  status: 'active',
  departement: '44',
  region: '52',
  moderatorRegions: [],
  displayName: 'A',
  level: 1,
  ...overrides,
});

/** How a member types a stored number in a form: "02 40 00 00 00". */
export const displayNumber = (e164: string) => `0${e164.slice(3, 4)} ${e164.slice(4).match(/../g)!.join(' ')}`;
