/**
 * Agencies: found or created when a member adds a contact, browsed by
 * département and type, suggested while typing. Agencies hold no personal data.
 * A member's new agency is `pending` (its creator and the région's moderators
 * only) until a moderator approves the contact that created it.
 */
import { Types } from 'mongoose';
import { AppError, conflict, notFound } from '../core/errors';
import { idsInSets, LOOKUP_READ_LIMIT } from '../core/lookup';
import { logger } from '../core/logger';
import { type Actor, authorize, isActive, isSelf, moderatesRegion } from '../core/policy';
import { isWebmailDomain } from '../core/webmail';
import { recordEvent } from '../audit/audit';
import { markForSearch } from '../search/search-outbox';
import { foldKey } from '../core/text';
import { searchAgencyIds } from '../search/search.service';
import { getAgencyType } from '../reference/catalog';
import { getDepartement } from '../reference/territories';
import { agenciesOfKey, Agency, type AgencyDoc, agencyNameKey } from './agency.model';
import { agencyPolicy } from './agencies.policy';

const log = logger('contacts');

export interface NewAgencyInput {
  name: string;
  typeCode: string;
  departement: string;
  commune?: string;
  postcode?: string;
}

const agencyNotFound = (field: string) =>
  new AppError(422, 'agency_not_found', 'Organisme introuvable.', { [field]: 'Cet organisme n’existe pas ou plus : choisissez-en un autre, ou créez-le.' });

async function loadAgency(id: string): Promise<AgencyDoc | null> {
  return Types.ObjectId.isValid(id) ? Agency.findById(id).lean<AgencyDoc>() : null;
}

/** An active agency by id, or a French 422 on the given form field. */
export async function loadActiveAgency(id: string, field = 'agencyId'): Promise<AgencyDoc> {
  const agency = await loadAgency(id);
  if (!agency || agency.status !== 'active') throw agencyNotFound(field);
  return agency;
}

/**
 * The agency a contact of `actor` may be in: active, or still pending and the actor its creator or
 * one of its région's moderators. Anything else gets the same French 422 as an unknown id, so a
 * pending agency of someone else is never revealed.
 */
export async function loadAgencyFor(actor: Actor, id: string, field = 'agencyId'): Promise<AgencyDoc> {
  const agency = await loadAgency(id);
  if (!agency || !agencyPolicy.attach(actor, agency)) throw agencyNotFound(field);
  return agency;
}

/**
 * Returns the agency of that name in that département, creating it when missing (any member may).
 * Only an active agency or the actor's own pending one is reused: a colleague who types the same
 * new name gets a pending agency of their own, so nobody learns that another's is waiting.
 */
export async function findOrCreateAgency(actor: Actor, input: NewAgencyInput): Promise<AgencyDoc> {
  authorize(isActive(actor));
  const departement = getDepartement(input.departement);
  const type = getAgencyType(input.typeCode);
  if (!departement || !type)
    throw new AppError(422, 'bad_agency', 'Organisme incomplet.', { newAgencyType: 'Choisissez le type et le département de l’organisme.' });
  const nameKey = foldKey(input.name);
  const named = (await agenciesByIds(await idsInSets([agencyNameKey(departement.code, nameKey)]))).filter(
    (a) => a.nameKey === nameKey && a.departement === departement.code,
  );
  const existing = named.find((a) => a.status === 'active') ?? named.find((a) => a.status === 'pending' && isSelf(actor, a.createdBy));
  if (existing) return existing;
  const created = await Agency.create({
    name: input.name,
    nameKey,
    typeCode: type.code,
    level: type.levels[0] ?? 'LOCAL',
    departement: departement.code,
    region: departement.regionCode,
    commune: input.commune,
    postcode: input.postcode,
    status: 'pending',
    createdBy: new Types.ObjectId(actor.id),
  });
  log.info({ agencyId: String(created._id) }, 'agency proposed');
  return created.toObject() as AgencyDoc;
}

/**
 * Approves a pending agency with the contact that created it (moderator of its région or admin).
 * Conditional on the state read; the audit event joins the card's history. Returns false when the
 * agency was not pending (already active, or another decision came first).
 */
export async function approvePendingAgency(actor: Actor, id: string, context: { contactId: Types.ObjectId; itemId?: Types.ObjectId }): Promise<boolean> {
  const agency = await loadAgency(id);
  if (!agency || agency.status !== 'pending') return false;
  authorize(agencyPolicy.approve(actor, agency), 'Vous ne modérez pas la région de cet organisme.');
  return activatePendingAgency(actor, agency, context);
}

/**
 * Makes a pending agency active, conditionally on it still being pending, with
 * its audit event. `actor` undefined: the repair pass (jobs/repair.ts) finishing
 * the approval of a contact whose agency write had failed.
 */
export async function activatePendingAgency(
  actor: Actor | undefined,
  agency: AgencyDoc,
  context: { contactId: Types.ObjectId; itemId?: Types.ObjectId },
): Promise<boolean> {
  if (agency.status !== 'pending') return false;
  // The search mark goes first (docs/data-access.md): a crash leaves an extra push, never a missing one.
  await markForSearch('a', [agency._id]);
  const res = await Agency.updateOne({ _id: agency._id, status: 'pending' }, { $set: { status: 'active', searchDirty: true } });
  if (res.modifiedCount !== 1) return false;
  await recordEvent(actor, {
    action: 'agency.approve',
    targetType: 'agency',
    targetId: agency._id,
    contactId: context.contactId,
    itemId: context.itemId,
    region: agency.region,
    changes: [{ field: 'agencyStatus', before: 'pending', after: 'active' }],
  });
  log.info({ agencyId: String(agency._id) }, 'agency approved');
  return true;
}

/** Active agencies of a département (and type), by name: the no-JavaScript picker and the browse page. */
export async function listAgencies(departement: string, typeCode?: string): Promise<AgencyDoc[]> {
  const list = (await agenciesByIds(await idsInSets([agenciesOfKey(departement)]))).filter(
    (a) => a.departement === departement && a.status === 'active' && (!typeCode || a.typeCode === typeCode),
  );
  return list.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** Up to 10 agencies whose name contains every typed word (type-ahead). */
export async function suggestAgencies(actor: Actor, q: string, departement?: string): Promise<AgencyDoc[]> {
  authorize(isActive(actor));
  const words = foldKey(q)
    .split(' ')
    .filter((w) => w.length > 1)
    .slice(0, 5);
  if (!words.length) return [];
  const matches = (a: AgencyDoc) => a.status === 'active' && (!departement || a.departement === departement);
  try {
    const ids = await searchAgencyIds(q, departement, 10);
    const byId = new Map((await agenciesByIds(ids)).map((a) => [String(a._id), a]));
    return ids.map((id) => byId.get(String(id))).filter((a): a is AgencyDoc => !!a && matches(a));
  } catch (err) {
    // Search engine away: the département's agencies whose name holds every typed word.
    log.warn({ err: { message: (err as Error).message } }, 'agency suggestions without the search engine');
    if (!departement) return [];
    const all = await listAgencies(departement);
    return all.filter((a) => words.every((w) => a.nameKey.includes(w))).slice(0, 10);
  }
}

/** One agency for a member's eyes; a pending one only for its creator and its région's moderators (others: a 404 that reveals nothing). */
export async function getAgency(actor: Actor, id: string): Promise<AgencyDoc> {
  authorize(isActive(actor));
  const agency = await loadAgency(id);
  if (!agency || !agencyPolicy.view(actor, agency)) throw notFound('Cet organisme n’existe pas ou plus.');
  return agency;
}

/**
 * Sets the e-mail domains the région's moderators vouch for as this agency's
 * own: an objection confirmed from such an address applies at once
 * (docs/contact-lifecycle.md). A webmail domain is refused: anybody can open one.
 */
export async function setAgencyDomains(actor: Actor, id: string, domains: string[]): Promise<AgencyDoc> {
  const agency = await getAgency(actor, id);
  authorize(moderatesRegion(actor, agency.region), 'Seule la modération de la région peut indiquer les domaines de cet organisme.');
  const open = domains.filter(isWebmailDomain);
  if (open.length) {
    const message = `« ${open.join(', ')} » : une messagerie ouverte à tous ne prouve pas qu’une adresse appartient à l’organisme.`;
    throw new AppError(422, 'webmail_domain', 'Un des domaines ne convient pas.', { emailDomains: message });
  }
  const before = agency.emailDomains ?? [];
  const updated = await Agency.findOneAndUpdate(
    { _id: agency._id, updatedAt: agency.updatedAt },
    { $set: { emailDomains: domains } },
    { returnDocument: 'after' },
  ).lean<AgencyDoc>();
  if (!updated) throw conflict('Cet organisme a été modifié entre-temps : rechargez la page.');
  await recordEvent(actor, {
    action: 'agency.domains',
    targetType: 'agency',
    targetId: agency._id,
    region: agency.region,
    changes: [{ field: 'emailDomains', before: before.join(', '), after: domains.join(', ') }],
  });
  return updated;
}

/** An agency by id (null when missing or malformed), whatever its status: for the features that show a card's agency. */
export async function findAgency(id: Types.ObjectId | string | null | undefined): Promise<AgencyDoc | null> {
  return id && Types.ObjectId.isValid(String(id)) ? Agency.findById(id).lean<AgencyDoc>() : null;
}

/** Agencies by id (at most LOOKUP_READ_LIMIT), in no particular order. */
export async function agenciesByIds(ids: Array<Types.ObjectId | string>): Promise<AgencyDoc[]> {
  return ids.length ? Agency.find({ _id: { $in: ids } }).lean<AgencyDoc[]>() : [];
}

/** The agencies of these départements through their keyed sets, at most about `max` (any status: the caller filters). */
export async function agenciesOfDepartements(departements: string[], max: number): Promise<AgencyDoc[]> {
  const ids = await idsInSets(departements.map(agenciesOfKey), Number.MAX_SAFE_INTEGER);
  const agencies: AgencyDoc[] = [];
  for (let i = 0; i < ids.length && agencies.length < max; i += LOOKUP_READ_LIMIT) agencies.push(...(await agenciesByIds(ids.slice(i, i + LOOKUP_READ_LIMIT))));
  return agencies;
}

/** How many agencies there are, from the collection's metadata (no scan). */
export async function estimatedAgencyCount(): Promise<number> {
  return Agency.estimatedDocumentCount();
}

/** Every agency (the search reindex's full read). */
export async function allAgencies(): Promise<AgencyDoc[]> {
  return Agency.find({}).lean<AgencyDoc[]>();
}

/** A batch of agencies whose search document is out of date (`searchDirty`), for the search sync's full pass. */
export async function agenciesMarkedForSearch(limit: number): Promise<AgencyDoc[]> {
  return Agency.find({ searchDirty: true }).limit(limit).lean<AgencyDoc[]>();
}

/** Clears the search marks of agencies the search sync pushed, only where nobody wrote since it read them. */
export async function clearAgencySearchMarks(pushed: Array<Pick<AgencyDoc, '_id' | 'updatedAt'>>): Promise<void> {
  if (!pushed.length) return;
  await Agency.bulkWrite(pushed.map((a) => ({ updateOne: { filter: { _id: a._id, updatedAt: a.updatedAt }, update: { $set: { searchDirty: false } }, timestamps: false } })));
}
