import { Router } from 'express';
import { requireMember, requireModerator } from '../core/access';
import { validate, validateForm } from '../core/validate';
import * as h from './agencies.handlers';
import { AgencyDomainsSchema, AgencyPageQuerySchema, BrowseQuerySchema, SuggestQuerySchema } from './agencies.schemas';

export const agenciesRouter = Router();

agenciesRouter.get('/organismes', requireMember, validate(BrowseQuerySchema, 'query'), h.browse);
agenciesRouter.get('/organismes/suggestions', requireMember, validate(SuggestQuerySchema, 'query'), h.suggest);
agenciesRouter.get('/organismes/:id', requireMember, validate(AgencyPageQuerySchema, 'query'), h.show);
agenciesRouter.post(
  '/organismes/:id/domaines',
  requireModerator,
  // The page's locals read its page number: page 1 when the form comes back.
  validate(AgencyPageQuerySchema, 'query'),
  validateForm(AgencyDomainsSchema, 'agencies/show', h.showLocals),
  h.setDomains,
);
