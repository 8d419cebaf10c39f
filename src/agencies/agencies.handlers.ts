/** Thin adapters for the agency pages, the browse page and the type-ahead. */
import type { Request, RequestHandler } from 'express';
import { listContactsOfAgency, visibleCountsByAgency } from '../contacts/contacts.service';
import { presentAgencySummary, presentContact } from '../contacts/contacts.presenter';
import { flash } from '../core/flash';
import { type Actor, moderatesRegion } from '../core/policy';
import { listAgencyTypeGroups } from '../reference/catalog';
import { groupDepartementsByRegion } from '../reference/territories';
import * as agencies from './agencies.service';

const actorOf = (req: Request) => req.user as Actor;

export const browse: RequestHandler = async (req, res) => {
  const actor = actorOf(req);
  const { departement = actor.departement, type } = req.input as { departement?: string; type?: string };
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
  const actor = actorOf(req);
  const page = (req.input as { page?: number } | undefined)?.page ?? 1;
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
  const { emailDomains } = req.input as { emailDomains: string[] };
  await agencies.setAgencyDomains(actorOf(req), String(req.params.id), emailDomains);
  flash(req, 'success', emailDomains.length ? `Domaines enregistrés : ${emailDomains.join(', ')}.` : 'Plus aucun domaine n’est indiqué pour cet organisme.');
  res.redirect(303, `/organismes/${req.params.id}`);
};

export const suggest: RequestHandler = async (req, res) => {
  const { q, departement } = req.input as { q: string; departement?: string };
  const found = await agencies.suggestAgencies(actorOf(req), q, departement);
  res.set('Cache-Control', 'private, max-age=60');
  res.json({ agencies: found.map((a) => ({ id: String(a._id), name: a.name, commune: a.commune ?? '', departement: a.departement, type: a.typeCode })) });
};
