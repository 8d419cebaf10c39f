/** Thin adapters for the agency pages, the browse page and the type-ahead. */
import type { Request, RequestHandler } from 'express';
import { listContactsOfAgency, visibleCountsByAgency } from '../contacts/contacts.service';
import { presentAgencySummary, presentContact } from '../contacts/contacts.presenter';
import { requireActor } from '../core/access';
import { flash } from '../core/flash';
import { moderatesRegion } from '../core/policy';
import { inputOf } from '../core/validate';
import { listAgencyTypeGroups } from '../reference/catalog';
import { groupDepartementsByRegion } from '../reference/territories';
import { AgencyDomainsSchema, AgencyPageQuerySchema, BrowseQuerySchema, SuggestQuerySchema } from './agencies.schemas';
import * as agencies from './agencies.service';

export const browse: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const { departement = actor.departement, type } = inputOf(req, BrowseQuerySchema);
  const list = await agencies.listAgencies(departement, type);
  const counts = await visibleCountsByAgency(departement);
  res.render('agencies/browse', {
    title: 'Parcourir les organismes',
    regions: groupDepartementsByRegion(),
    agencyTypeGroups: listAgencyTypeGroups(),
    filters: { departement, type: type ?? '' },
    agencies: list.map((a) => ({ ...presentAgencySummary(a), contactCount: counts.get(String(a._id)) ?? 0 })),
  });
};

/** The agency page: its contacts a page at a time, and for its région's moderators the domains it vouches for. */
export async function showLocals(req: Request): Promise<Record<string, unknown>> {
  const actor = requireActor(req);
  const { page } = inputOf(req, AgencyPageQuerySchema);
  const agency = await agencies.getAgency(actor, String(req.params.id));
  const listed = await listContactsOfAgency(actor, agency._id, page);
  return {
    title: agency.name,
    agency: presentAgencySummary(agency),
    contacts: listed.contacts.map((c) => presentContact(c, agency, actor)),
    total: listed.total,
    degraded: listed.degraded,
    previousPage: page > 1 ? page - 1 : undefined,
    nextPage: page < listed.pages ? page + 1 : undefined,
    moderates: moderatesRegion(actor, agency.region),
    emailDomains: (agency.emailDomains ?? []).join(', '),
  };
}

export const show: RequestHandler = async (req, res) => {
  const locals = await showLocals(req);
  res.render('agencies/show', { ...locals, values: { emailDomains: locals.emailDomains } });
};

export const setDomains: RequestHandler = async (req, res) => {
  const { emailDomains } = inputOf(req, AgencyDomainsSchema);
  await agencies.setAgencyDomains(requireActor(req), String(req.params.id), emailDomains);
  flash(req, 'success', emailDomains.length ? `Domaines enregistrés : ${emailDomains.join(', ')}.` : 'Plus aucun domaine n’est indiqué pour cet organisme.');
  res.redirect(303, `/organismes/${req.params.id}`);
};

export const suggest: RequestHandler = async (req, res) => {
  const { q, departement } = inputOf(req, SuggestQuerySchema);
  const found = await agencies.suggestAgencies(requireActor(req), q, departement);
  res.set('Cache-Control', 'private, max-age=60');
  res.json({ agencies: found.map((a) => ({ id: String(a._id), name: a.name, commune: a.commune ?? '', departement: a.departement, type: a.typeCode })) });
};
