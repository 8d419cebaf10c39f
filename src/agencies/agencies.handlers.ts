/** Thin adapters for the agency pages, the browse page and the type-ahead. */
import type { Request, RequestHandler } from 'express';
import { listContactsOfAgency, visibleCountsByAgency } from '../contacts/contacts.service';
import { presentAgencySummary, presentContact } from '../contacts/contacts.presenter';
import type { Actor } from '../core/policy';
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

export const show: RequestHandler = async (req, res) => {
  const actor = actorOf(req);
  const { page } = req.input as { page: number };
  const agency = await agencies.getAgency(actor, String(req.params.id));
  const listed = await listContactsOfAgency(actor, agency._id, page);
  res.render('agencies/show', {
    title: agency.name,
    agency: presentAgencySummary(agency),
    contacts: listed.contacts.map((c) => presentContact(c, agency, actor)),
    total: listed.total,
    degraded: listed.degraded,
    previousPage: page > 1 ? page - 1 : undefined,
    nextPage: page < listed.pages ? page + 1 : undefined,
  });
};

export const suggest: RequestHandler = async (req, res) => {
  const { q, departement } = req.input as { q: string; departement?: string };
  const found = await agencies.suggestAgencies(actorOf(req), q, departement);
  res.set('Cache-Control', 'private, max-age=60');
  res.json({ agencies: found.map((a) => ({ id: String(a._id), name: a.name, commune: a.commune ?? '', departement: a.departement, type: a.typeCode })) });
};
