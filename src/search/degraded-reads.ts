/**
 * What the degraded search (search engine away) reads from the database,
 * through keyed sets only (core/lookup.ts, docs/data-access.md): the agencies
 * of the scope's départements, then at most `limit` of their contacts.
 */
import type { Types } from 'mongoose';
import { agenciesOfKey, Agency, type AgencyDoc } from '../agencies/agency.model';
import { agencyContactsKey, contactsByKeys } from '../contacts/contact-store';
import type { ContactDoc } from '../contacts/contact.model';
import { idsInSets, LOOKUP_READ_LIMIT } from '../core/lookup';
import { listDepartements } from '../reference/territories';

export async function agenciesInScope(scope: { departement?: string; region?: string }): Promise<AgencyDoc[]> {
  const departements = scope.departement ? [scope.departement] : listDepartements(scope.region).map((d) => d.code);
  const ids = await idsInSets(departements.map(agenciesOfKey), Number.MAX_SAFE_INTEGER);
  const agencies: AgencyDoc[] = [];
  for (let i = 0; i < ids.length && agencies.length < 2000; i += LOOKUP_READ_LIMIT) {
    agencies.push(...(await Agency.find({ _id: { $in: ids.slice(i, i + LOOKUP_READ_LIMIT) } }).lean<AgencyDoc[]>()));
  }
  return agencies.filter((a) => a.status === 'active' && (!scope.departement || a.departement === scope.departement) && (!scope.region || a.region === scope.region));
}

export async function contactsOfAgencies(agencyIds: Types.ObjectId[], limit = 500): Promise<ContactDoc[]> {
  const wanted = new Set(agencyIds.map(String));
  return (await contactsByKeys(agencyIds.map(agencyContactsKey), limit)).filter((c) => wanted.has(String(c.agencyId)));
}
