/** Thin adapters for the administration pages and the audit log. */
import type { Request, RequestHandler } from 'express';
import { requireActor } from '../core/access';
import { flash } from '../core/flash';
import { isAdmin } from '../core/policy';
import { IdParamsSchema, inputOf, renderForm, typedValues } from '../core/validate';
import { getRegion } from '../reference/territories';
import { presentJournal, presentReasonRows, presentStaff, presentThresholdSections, regionChoices, thresholdValues } from './admin.presenter';
import {
  ApprovalReasonsFormSchema, AppointModeratorSchema, JournalQuerySchema, ModeratorRegionsSchema, ReasonsFormSchema, ThresholdsFormSchema,
} from './admin.schemas';
import * as admin from './admin.service';

const regionNames = (codes: string[]) => codes.map((c) => getRegion(c)?.name ?? c).join(', ');
const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const home: RequestHandler = (_req, res) => res.redirect(303, '/admin/moderateurs');

// --- Moderators ----------------------------------------------------------------------------------

export const moderatorsLocals = async (req: Request) => {
  const typed = req.method === 'POST' ? typedValues(req.body) : {};
  const failedId = typeof req.params.id === 'string' ? req.params.id : undefined;
  const staff = await admin.listStaff(requireActor(req));
  return {
    title: 'Modérateurs',
    staff: presentStaff(staff, requireActor(req), failedId ? { id: failedId, regions: asList(typed.regions) } : undefined),
    appointChoices: regionChoices('region', failedId ? [] : asList(typed.regions)),
    failedId,
  };
};

export const showModerators: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'admin/moderators', { locals: moderatorsLocals });
};

export const appoint: RequestHandler = async (req, res) => {
  const { email, regions } = inputOf(req, AppointModeratorSchema);
  const change = await admin.appointModerator(requireActor(req), email, regions);
  const name = `${change.member.firstName} ${change.member.lastName}`;
  if (!change.changed) flash(req, 'info', `Aucun changement : ${name} modère déjà exactement ces régions.`);
  else flash(req, 'success', `${name} modère maintenant : ${regionNames(change.after.moderatorRegions)}. Le rôle s’applique dès sa prochaine page.`);
  res.redirect(303, '/admin/moderateurs');
};

export const changeRegions: RequestHandler = async (req, res) => {
  const { id } = inputOf(req, IdParamsSchema);
  const { regions } = inputOf(req, ModeratorRegionsSchema);
  const change = await admin.setModeratorRegions(requireActor(req), id, regions);
  const name = `${change.member.firstName} ${change.member.lastName}`;
  if (!change.changed) flash(req, 'info', `Aucun changement pour ${name}.`);
  else flash(req, 'success', `Régions de ${name} enregistrées : ${regionNames(change.after.moderatorRegions)}.`);
  res.redirect(303, '/admin/moderateurs');
};

export const revoke: RequestHandler = async (req, res) => {
  const change = await admin.revokeModerator(requireActor(req), inputOf(req, IdParamsSchema).id);
  flash(req, 'success', `${change.member.firstName} ${change.member.lastName} n’est plus modérateur·rice : son compte redevient un compte de membre.`);
  res.redirect(303, '/admin/moderateurs');
};

// --- Canned reasons ------------------------------------------------------------------------------

/** Both lists; after a rejected submission, the submitted one as typed (the form's path says which). */
export const reasonsLocals = async (req: Request) => {
  const actor = requireActor(req);
  const submitted = req.method === 'POST' ? (req.path.endsWith('/approbation') ? 'approve' : 'reject') : undefined;
  const typed = typedValues(req.body);
  const asTyped = () => {
    const codes = asList(typed.code);
    const labels = asList(typed.label);
    const removed = asList(typed.remove);
    return codes.map((code, i) => ({ code, label: labels[i] ?? '', removed: removed.includes(code) }));
  };
  return {
    title: 'Motifs de refus et d’approbation',
    rows: presentReasonRows(submitted === 'reject' ? asTyped() : await admin.getReasons(actor, 'reject')),
    approvalRows: presentReasonRows(submitted === 'approve' ? asTyped() : await admin.getReasons(actor, 'approve'), 'approval-'),
  };
};

export const showReasons: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'admin/reasons', { locals: reasonsLocals });
};

export const saveReasons: RequestHandler = async (req, res) => {
  const changes = await admin.updateReasons(requireActor(req), inputOf(req, ReasonsFormSchema).reasons, 'reject');
  flash(req, changes.length ? 'success' : 'info', changes.length ? 'Les motifs de refus ont été enregistrés.' : 'Aucun changement dans les motifs de refus.');
  res.redirect(303, '/admin/motifs');
};

export const saveApprovalReasons: RequestHandler = async (req, res) => {
  const changes = await admin.updateReasons(requireActor(req), inputOf(req, ApprovalReasonsFormSchema).reasons, 'approve');
  flash(
    req,
    changes.length ? 'success' : 'info',
    changes.length ? 'Les motifs d’approbation ont été enregistrés.' : 'Aucun changement dans les motifs d’approbation.',
  );
  res.redirect(303, '/admin/motifs#approbation');
};

// --- Thresholds ----------------------------------------------------------------------------------

export const thresholdsLocals = () => ({ title: 'Seuils', sections: presentThresholdSections() });

export const showThresholds: RequestHandler = async (req, res) => {
  const values = thresholdValues(await admin.getCurrentThresholds(requireActor(req)));
  await renderForm(req, res, 'admin/thresholds', { values, locals: thresholdsLocals });
};

export const saveThresholds: RequestHandler = async (req, res) => {
  const changes = await admin.updateThresholds(requireActor(req), inputOf(req, ThresholdsFormSchema));
  flash(
    req,
    changes.length ? 'success' : 'info',
    changes.length ? `Seuils enregistrés (${changes.length} modifié${changes.length > 1 ? 's' : ''}). Ils s’appliquent d’ici une minute.` : 'Aucun seuil n’a changé.',
  );
  res.redirect(303, '/admin/seuils');
};

// --- Audit log -----------------------------------------------------------------------------------

/** GET /admin/journal (admins) and /moderation/journal (moderators, their régions). */
export const journal: RequestHandler = async (req, res) => {
  const q = inputOf(req, JournalQuerySchema);
  const actor = requireActor(req);
  const page = await admin.listJournal(actor, q);
  const base = req.path === '/admin/journal' ? '/admin/journal' : '/moderation/journal';
  const filters = { region: q.region, action: q.action, acteur: q.acteur, du: q.du, au: q.au };
  res.set('Cache-Control', 'private, no-store');
  res.render('admin/journal', {
    title: 'Journal des décisions',
    journal: presentJournal(page, filters, base, base === '/admin/journal' && isAdmin(actor)),
  });
};
