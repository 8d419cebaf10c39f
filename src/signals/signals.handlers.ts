/** Thin adapters for the one-click signals on a contact page. */
import type { Request, RequestHandler } from 'express';
import { requireActor } from '../core/access';
import { flash } from '../core/flash';
import { inputOf, renderForm } from '../core/validate';
import { contactUrl, SEARCH_PATH, searchReturnPath } from '../search/search.presenter';
import { reportChoices, tagChoices } from './signals.presenter';
import { CONFIRMATION_KINDS } from './signal.models';
import * as signals from './signals.service';
import { recordCall } from './calls.service';
import { confirmAsAuthor } from './rechecks';
import { reachedLine } from './signals.presenter';
import { CallSchema, ConfirmSchema, RateSchema, ReportSchema } from './signals.schemas';
import { CALL_OUTCOMES } from './signal.models';

/** The contact page again, still leading back to the search it was opened from (a hidden `retour` field). */
const back = (req: Request) => {
  const retour = searchReturnPath((req.body as Record<string, unknown> | undefined)?.retour);
  return `${retour === SEARCH_PATH ? `/contacts/${req.params.id}` : contactUrl(String(req.params.id), retour)}#signaux`;
};

export const rate: RequestHandler = async (req, res) => {
  const input = inputOf(req, RateSchema);
  await signals.rateContact(requireActor(req), String(req.params.id), { useful: input.useful === 'oui', tags: input.tags, account: input.account });
  flash(req, 'success', input.account ? 'Merci ! Votre avis est enregistré ; votre récit sera publié après relecture par la modération.' : 'Merci ! Votre avis est enregistré.');
  res.redirect(303, back(req));
};

export const confirm: RequestHandler = async (req, res) => {
  const { kind } = inputOf(req, ConfirmSchema);
  await signals.confirmContact(requireActor(req), String(req.params.id), kind);
  flash(req, 'success', `Merci ! « ${CONFIRMATION_KINDS[kind].label} » est enregistré pour vos collègues.`);
  res.redirect(303, back(req));
};

export const rateLocals = (req: Request) => ({ title: 'Ce contact vous a-t-il été utile ?', contactId: req.params.id, tags: tagChoices });

export const reportLocals = (req: Request) => ({ title: 'Signaler un problème', contactId: req.params.id, choices: reportChoices });

export const showRate: RequestHandler = async (req, res) => {
  const earlier = await signals.myRating(requireActor(req), String(req.params.id));
  const values = earlier ? { useful: earlier.useful ? 'oui' : 'non', tags: earlier.tags ?? [], account: earlier.account ?? '' } : {};
  await renderForm(req, res, 'signals/rate', { locals: rateLocals, values });
};

export const showReport: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'signals/report', { locals: reportLocals });
};

export const report: RequestHandler = async (req, res) => {
  await signals.reportContact(requireActor(req), String(req.params.id), inputOf(req, ReportSchema));
  flash(req, 'success', 'Merci ! Votre signalement est enregistré ; la modération de la région en sera informée. Vous pouvez le retirer à tout moment.');
  res.redirect(303, back(req));
};

export const withdraw: RequestHandler = async (req, res) => {
  await signals.withdrawReport(requireActor(req), String(req.params.id));
  flash(req, 'info', 'Votre signalement est retiré.');
  res.redirect(303, back(req));
};

/** « J’ai appelé »: back to the card or to the search it came from; JSON for the page's script (no reload). */
export const call: RequestHandler = async (req, res) => {
  const { outcome, depuis } = inputOf(req, CallSchema);
  const result = await recordCall(requireActor(req), String(req.params.id), outcome);
  const message = result.flagged
    ? `Merci ! Plusieurs collègues ont trouvé ce numéro faux : la fiche est maintenant « à vérifier »${result.then === 'queued' ? ' et la modération de la région est prévenue.' : ' et la personne qui l’a ajoutée est invitée à la revérifier.'}`
    : `Merci ! « ${CALL_OUTCOMES[outcome].label} » est enregistré pour aujourd’hui ; un autre choix aujourd’hui remplacera celui-ci.`;
  if (req.accepts(['html', 'json']) === 'json') {
    res.json({ outcome, message, reached: reachedLine(result.reachedMonth) ?? null, flagged: result.flagged });
    return;
  }
  flash(req, 'success', message);
  const retour = searchReturnPath((req.body as Record<string, unknown> | undefined)?.retour);
  res.redirect(303, depuis === 'recherche' ? `${retour}#h-${String(req.params.id)}` : back(req));
};

/** The author's « Toujours valable ». */
export const stillValid: RequestHandler = async (req, res) => {
  const { recovered } = await confirmAsAuthor(requireActor(req), String(req.params.id));
  flash(req, 'success', recovered ? 'Merci ! La fiche n’est plus « à vérifier » : vos collègues voient qu’elle vient d’être revérifiée.' : 'Merci ! La fiche est marquée revérifiée aujourd’hui.');
  res.redirect(303, back(req));
};
