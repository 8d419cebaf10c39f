/** GET /recherche: the results page, or JSON for clients that ask for it. */
import type { RequestHandler } from 'express';
import { requireActor } from '../core/access';
import { AppError } from '../core/errors';
import { inputOf } from '../core/validate';
import { presentJson, presentResults } from './search.presenter';
import { SearchQuerySchema } from './search.schemas';
import { searchContacts } from './search.service';
import { myContactIds } from '../my-contacts/my-contacts.service';
import { getThresholds } from '../settings/thresholds';

export const search: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const query = inputOf(req, SearchQuerySchema);
  const result = await searchContacts(actor, query, req.query as Record<string, unknown>);
  res.set('Cache-Control', 'private, no-store');
  if (req.accepts(['html', 'json']) === 'json') return void res.json(presentJson(result));
  const mine = await myContactIds(actor);
  res.render('search/results', { title: query.q ? `${query.q} – Recherche` : 'Recherche', results: presentResults(result, query, actor, mine) });
};

/** Route middleware for GET /recherche: JSON answers stop at the `searchJsonMaxPage` threshold. */
export const limitJsonSearchPages: RequestHandler = async (req, _res, next) => {
  const { page } = inputOf(req, SearchQuerySchema);
  if (page <= 1 || req.accepts(['html', 'json']) !== 'json') return next();
  const { searchJsonMaxPage } = await getThresholds();
  if (page > searchJsonMaxPage) {
    throw new AppError(400, 'page_too_deep', `Les résultats s’arrêtent à la page ${searchJsonMaxPage} : affinez votre recherche (mots, département, thématique).`);
  }
  next();
};
