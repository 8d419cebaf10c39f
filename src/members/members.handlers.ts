/** Thin adapters for the account pages and member approval. */
import type { Request, RequestHandler } from 'express';
import { requireActor } from '../core/access';
import { flash } from '../core/flash';
import { IdParamsSchema, inputOf, renderForm } from '../core/validate';
import { CLEAR_SITE_DATA } from '../core/session';
import { ChangePasswordSchema, DeleteAccountSchema, MemberLookupSchema, ProfileSchema, RejectMemberSchema, SuspendMemberSchema } from './members.schemas';
import { presentAccount, presentApplication, presentExport, presentMemberForModeration, registerLocals } from './members.presenter';
import * as members from './members.service';
import { alertsEnabled, myContactsOfAccount } from '../my-contacts/my-contacts.service';
import { isActive } from '../core/policy';

export const accountLocals = async (req: Request) => ({
  ...registerLocals(),
  title: 'Mon compte',
  account: presentAccount(await members.getAccount(requireActor(req))),
  /** The weekly « Mes contacts » alert (validated members only): undefined hides the setting. */
  myContactsAlerts: isActive(requireActor(req)) ? { on: await alertsEnabled(requireActor(req)) } : undefined,
});

export const showAccount: RequestHandler = async (req, res) => {
  const locals = await accountLocals(req);
  await renderForm(req, res, 'members/account', { values: locals.account, locals: () => locals });
};

export const updateProfile: RequestHandler = async (req, res) => {
  await members.updateProfile(requireActor(req), inputOf(req, ProfileSchema));
  flash(req, 'success', 'Votre profil a été enregistré.');
  res.redirect(303, '/compte');
};

export const resendVerification: RequestHandler = async (req, res) => {
  await members.resendVerification(requireActor(req));
  flash(req, 'info', 'Un nouveau lien de confirmation vient de vous être envoyé.');
  res.redirect(303, '/compte');
};

export const passwordLocals = () => ({ title: 'Changer de mot de passe' });

export const showPassword: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'members/password', { locals: passwordLocals });
};

export const changePassword: RequestHandler = async (req, res) => {
  const { currentPassword, password } = inputOf(req, ChangePasswordSchema);
  await members.changePassword(requireActor(req), currentPassword, password, req.sessionID, req.ip ?? 'unknown');
  flash(req, 'success', 'Votre mot de passe a été changé. Vos autres sessions ont été fermées.');
  res.redirect(303, '/compte');
};

export const exportData: RequestHandler = async (req, res) => {
  const data = { ...presentExport(await members.getAccount(requireActor(req))), myContacts: await myContactsOfAccount(requireActor(req)) };
  res.set('Content-Disposition', 'attachment; filename="ligne-directe-mes-donnees.json"');
  res.set('Cache-Control', 'no-store');
  res.type('application/json').send(JSON.stringify(data, null, 2));
};

export const deleteLocals = () => ({ title: 'Supprimer mon compte' });

export const showDelete: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'members/delete', { locals: deleteLocals });
};

export const deleteAccount: RequestHandler = async (req, res, next) => {
  await members.deleteAccount(requireActor(req), inputOf(req, DeleteAccountSchema).currentPassword, req.ip ?? 'unknown');
  req.logOut((err) => {
    if (err) return next(err);
    res.set('Clear-Site-Data', CLEAR_SITE_DATA);
    res.redirect(303, '/?compte=supprime');
  });
};

export const applicationsLocals = async (req: Request) => {
  const actor = requireActor(req);
  const list = await members.listApplications(actor);
  return { title: 'Demandes d’accès', applications: list.map((m) => presentApplication(m, actor)), failedId: req.params.id };
};

export const listApplications: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'members/applications', { locals: applicationsLocals });
};

export const approve: RequestHandler = async (req, res) => {
  const m = await members.approveMember(requireActor(req), inputOf(req, IdParamsSchema).id);
  flash(req, 'success', `Accès validé pour ${m.firstName} ${m.lastName}. Un e-mail lui a été envoyé.`);
  res.redirect(303, '/moderation/membres');
};

export const reject: RequestHandler = async (req, res) => {
  const { id } = inputOf(req, IdParamsSchema);
  const { reason } = inputOf(req, RejectMemberSchema);
  const m = await members.rejectMember(requireActor(req), id, reason);
  flash(req, 'success', `Demande de ${m.firstName} ${m.lastName} refusée. Le motif lui a été envoyé.`);
  res.redirect(303, '/moderation/membres');
};

export const memberPageLocals = async (req: Request) => {
  const actor = requireActor(req);
  const m = await members.getMemberForModeration(actor, String(req.params.id));
  return { title: `${m.firstName} ${m.lastName} – Membre`, member: presentMemberForModeration(m, actor) };
};

export const showMember: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'members/member', { locals: memberPageLocals });
};

export const lookupMember: RequestHandler = async (req, res) => {
  const id = await members.findMemberIdByEmail(requireActor(req), inputOf(req, MemberLookupSchema).email);
  res.redirect(303, `/moderation/membres/${id}`);
};

export const suspend: RequestHandler = async (req, res) => {
  const { id } = inputOf(req, IdParamsSchema);
  const { reason } = inputOf(req, SuspendMemberSchema);
  const m = await members.suspendMember(requireActor(req), id, reason);
  flash(req, 'success', `Le compte de ${m.firstName} ${m.lastName} est suspendu : ses sessions sont fermées et la suspension est au journal.`);
  res.redirect(303, `/moderation/membres/${id}`);
};

export const reactivate: RequestHandler = async (req, res) => {
  const { id } = inputOf(req, IdParamsSchema);
  const m = await members.reactivateMember(requireActor(req), id);
  flash(req, 'success', `Le compte de ${m.firstName} ${m.lastName} est de nouveau actif.`);
  res.redirect(303, `/moderation/membres/${id}`);
};
