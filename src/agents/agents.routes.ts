/**
 * The listed agent's own page, by personal link (docs/agents.md). Public at
 * route level: the token is the authority, checked by agents.service on every
 * request (one 404 for any link that does not open the card).
 */
import { Router } from 'express';
import { AgentCorrectionSchema } from '../contacts/contacts.schemas';
import { publicRoute } from '../core/access';
import { validate, validateForm } from '../core/validate';
import * as h from './agents.handlers';
import { HandOverSchema, TokenParamsSchema } from './agents.schemas';

export const agentsRouter = Router();
const token = [h.privatePage, h.linkGuard, validate(TokenParamsSchema, 'params')];

agentsRouter.get('/agent/:token', publicRoute, token, h.show);
agentsRouter.post('/agent/:token/confirmer', publicRoute, token, h.confirm);
agentsRouter.get('/agent/:token/corriger', publicRoute, token, h.showCorrect);
agentsRouter.post('/agent/:token/corriger', publicRoute, token, validateForm(AgentCorrectionSchema, 'agents/correct', h.pageLocals), h.correct);
agentsRouter.post('/agent/:token/changement-de-poste', publicRoute, token, validateForm(HandOverSchema, 'agents/page', h.pageLocals), h.handOver);
agentsRouter.post('/agent/:token/retrait', publicRoute, token, h.withdraw);
agentsRouter.get('/agent/:token/campagnes', publicRoute, token, h.campaigns);
agentsRouter.post('/agent/:token/campagnes', publicRoute, token, h.leaveCampaigns);
agentsRouter.use(h.countBadLinks);

/**
 * Mounted before sessions and CSRF (routes.ts): a mail client's one-click
 * unsubscribe (RFC 8058) carries neither. The link is the authority, and all
 * it can do is stop the campaign e-mails of its own card.
 */
export const CSRF_EXEMPT_PATHS = ['/agent/:token/desabonnement'];
export const agentsStatelessRouter = Router();
agentsStatelessRouter.post(CSRF_EXEMPT_PATHS[0], publicRoute, token, h.oneClickUnsubscribe);
agentsStatelessRouter.use(h.countBadLinks);
