/**
 * What the degraded search (search engine away) reads from the database,
 * through keyed sets only (core/lookup.ts, docs/data-access.md): the agencies
 * of the scope's départements, then at most `limit` of their contacts.
 */
import type { Types } from 'mongoose';
import type { AgencyDoc } from '../agencies/agency.model';
import { agenciesOfDepartements } from '../agencies/agencies.service';
import { agencyContactsKey, contactsByKeys } from '../contacts/contact-store';
import type { ContactDoc } from '../contacts/contact.model';
import { listDepartements } from '../reference/territories';

export async function agenciesInScope(scope: { departement?: string; region?: string }): Promise<AgencyDoc[]> {
  const departements = scope.departement ? [scope.departement] : listDepartements(scope.region).map((d) => d.code);
  const agencies = await agenciesOfDepartements(departements, 2000);
  return agencies.filter((a) => a.status === 'active' && (!scope.departement || a.departement === scope.departement) && (!scope.region || a.region === scope.region));
}

export async function contactsOfAgencies(agencyIds: Types.ObjectId[], limit = 500): Promise<ContactDoc[]> {
  const wanted = new Set(agencyIds.map(String));
  return (await contactsByKeys(agencyIds.map(agencyContactsKey), limit)).filter((c) => wanted.has(String(c.agencyId)));
}
