/** The agent's own page: thin handlers over agents.service. The link is the only authority (docs/agents.md). */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { PHONE_KINDS } from '../contacts/contacts.types';
import { contactFormValues, PHONE_KIND_LABELS, presentContact } from '../contacts/contacts.presenter';
import { AgentCorrectionSchema } from '../contacts/contacts.schemas';
import { AppError } from '../core/errors';
import { flash } from '../core/flash';
import type { Actor } from '../core/policy';
import { inputOf, renderForm } from '../core/validate';
import { SECRECY_HINT } from '../screening/screening';
import { assertNotLimited, countAttempt } from '../security/rate-limit';
import { logger } from '../core/logger';
import { HandOverSchema } from './agents.schemas';
import * as agents from './agents.service';

/** The card as any member sees it (the agent's page shows exactly that). */
const MEMBER_VIEW: Actor = {
  id: '000000000000000000000000',
  role: 'member',
  status: 'active',
  departement: '',
  region: '',
  moderatorRegions: [],
  displayName: '',
  level: 1,
} as Actor;

const log = logger('http');
const tokenOf = (req: Request) => String(req.params.token);

/**
 * An address that sent too many links opening no card waits an hour (the
 * `agentLinkIp` limit; docs/agents.md « Limits »): links cannot be guessed,
 * but every guess costs reads. A valid link counts nothing.
 */
export const linkGuard: RequestHandler = async (req, _res, next) => {
  await assertNotLimited('agentLinkIp', req.ip ?? 'unknown');
  next();
};

/** Error middleware of the agent's routers: a link that opened no card counts against its address. */
export const countBadLinks: ErrorRequestHandler = async (err, req, _res, next) => {
  if (err instanceof AppError && err.code === 'bad_agent_link') {
    // The visitor still gets the 404; a counter the database could not write is logged, not hidden.
    await countAttempt('agentLinkIp', req.ip ?? 'unknown').catch((countErr: unknown) => log.warn({ err: countErr }, 'agent link attempt not counted'));
  }
  next(err);
};

/** A personal link must not be kept by caches nor sent to other sites: every route of agents.routes.ts starts here. */
export const privatePage: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  res.set('Referrer-Policy', 'no-referrer');
  res.set('X-Robots-Tag', 'noindex');
  next();
};

export const pageLocals = async (req: Request) => {
  const { contact, agency } = await agents.agentPage(tokenOf(req));
  return {
    /** What the correction form starts from. */
    formValues: contactFormValues(contact),
    title: 'Vos coordonnées dans Ligne directe',
    token: tokenOf(req),
    card: presentContact(contact, agency, MEMBER_VIEW),
    agentConfirmedAt: contact.agentConfirmedAt,
    handedOver: contact.state === 'needs_check' && !!contact.needsCheckSince,
    inCampaigns: contact.agentCampaignOptOut !== contact.email,
    phoneKinds: PHONE_KINDS.map((code) => ({ code, label: PHONE_KIND_LABELS[code] })),
    secrecyHint: SECRECY_HINT,
  };
};

export const show: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'agents/page', { locals: pageLocals });
};

export const confirm: RequestHandler = async (req, res) => {
  await agents.confirm(tokenOf(req));
  flash(req, 'success', 'Merci ! La fiche indique désormais qu’elle a été confirmée par vous aujourd’hui.');
  res.redirect(303, `/agent/${tokenOf(req)}`);
};

export const showCorrect: RequestHandler = async (req, res) => {
  const locals = await pageLocals(req);
  await renderForm(req, res, 'agents/correct', { locals: () => locals, values: locals.formValues });
};

export const correct: RequestHandler = async (req, res) => {
  const outcome = await agents.correct(tokenOf(req), inputOf(req, AgentCorrectionSchema));
  flash(
    req,
    outcome === 'proposed' ? 'success' : 'info',
    outcome === 'proposed'
      ? 'Merci ! Votre correction est transmise à la modération de la région, qui l’applique en général sous quelques jours. En attendant, la fiche reste telle qu’elle était.'
      : 'Vous n’avez rien modifié : la fiche reste telle qu’elle est.',
  );
  res.redirect(303, `/agent/${tokenOf(req)}`);
};

export const handOver: RequestHandler = async (req, res) => {
  await agents.handOver(tokenOf(req), inputOf(req, HandOverSchema));
  flash(
    req,
    'success',
    'Merci ! La fiche est marquée « à vérifier » et la modération de la région est prévenue. Vous pouvez aussi retirer vos coordonnées ci-dessous.',
  );
  res.redirect(303, `/agent/${tokenOf(req)}`);
};

export const withdraw: RequestHandler = async (req, res) => {
  await agents.withdraw(tokenOf(req));
  res.render('agents/withdrawn', { title: 'Vos coordonnées sont retirées' });
};

export const campaigns: RequestHandler = (req, res) => {
  res.redirect(303, `/agent/${tokenOf(req)}#campagnes`);
};

export const leaveCampaigns: RequestHandler = async (req, res) => {
  await agents.leaveCampaigns(tokenOf(req));
  flash(
    req,
    'success',
    'C’est noté : vous ne recevrez plus d’e-mail de confirmation pour cette fiche. Vous gardez à tout moment le droit de retirer vos coordonnées.',
  );
  res.redirect(303, `/agent/${tokenOf(req)}`);
};

/** One-click unsubscribe posted by a mail client (RFC 8058): no session, no form; the link is the authority. */
export const oneClickUnsubscribe: RequestHandler = async (req, res) => {
  await agents.leaveCampaigns(tokenOf(req));
  res.type('text/plain; charset=utf-8').send('Vous ne recevrez plus d’e-mail de confirmation pour cette fiche.');
};
