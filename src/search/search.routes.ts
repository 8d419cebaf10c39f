import { Router } from 'express';
import { requireMember } from '../core/access';
import { validate } from '../core/validate';
import { usageCap } from '../security/usage-caps';
import { limitJsonSearchPages, search } from './search.handlers';
import { SearchQuerySchema } from './search.schemas';

export const searchRouter = Router();

searchRouter.get('/recherche', requireMember, validate(SearchQuerySchema, 'query'), limitJsonSearchPages, usageCap('search'), search);
