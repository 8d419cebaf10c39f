/** GET /recherche: the results page, or JSON for clients that ask for it. */
import type { RequestHandler } from 'express';
import { requireActor } from '../core/access';
import { inputOf } from '../core/validate';
import { presentJson, presentResults } from './search.presenter';
import { SearchQuerySchema } from './search.schemas';
import { searchContacts } from './search.service';
import { myContactIds } from '../my-contacts/my-contacts.service';

export const search: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const query = inputOf(req, SearchQuerySchema);
  const result = await searchContacts(actor, query, req.query as Record<string, unknown>);
  res.set('Cache-Control', 'private, no-store');
  if (req.accepts(['html', 'json']) === 'json') return void res.json(presentJson(result));
  const mine = await myContactIds(actor);
  res.render('search/results', { title: query.q ? `${query.q} – Recherche` : 'Recherche', results: presentResults(result, query, actor, mine) });
};
