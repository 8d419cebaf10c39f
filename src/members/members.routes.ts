import { Router } from 'express';
import { requireAccount, requireModerator } from '../core/access';
import { IdParamsSchema, validate, validateForm } from '../core/validate';
import * as h from './members.handlers';
import { ChangePasswordSchema, DeleteAccountSchema, MemberLookupSchema, ProfileSchema, RejectMemberSchema, SuspendMemberSchema } from './members.schemas';

export const membersRouter = Router();

membersRouter.get('/compte', requireAccount, h.showAccount);
membersRouter.post('/compte', requireAccount, validateForm(ProfileSchema, 'members/account', h.accountLocals), h.updateProfile);
membersRouter.post('/compte/renvoyer-verification', requireAccount, h.resendVerification);
membersRouter.get('/compte/mot-de-passe', requireAccount, h.showPassword);
membersRouter.post('/compte/mot-de-passe', requireAccount, validateForm(ChangePasswordSchema, 'members/password', h.passwordLocals), h.changePassword);
membersRouter.get('/compte/export', requireAccount, h.exportData);
membersRouter.get('/compte/supprimer', requireAccount, h.showDelete);
membersRouter.post('/compte/supprimer', requireAccount, validateForm(DeleteAccountSchema, 'members/delete', h.deleteLocals), h.deleteAccount);

membersRouter.get('/moderation/membres', requireModerator, h.listApplications);
membersRouter.post('/moderation/membres/:id/approuver', requireModerator, validate(IdParamsSchema, 'params'), h.approve);
membersRouter.post(
  '/moderation/membres/:id/refuser',
  requireModerator,
  validate(IdParamsSchema, 'params'),
  validateForm(RejectMemberSchema, 'members/applications', h.applicationsLocals),
  h.reject,
);
membersRouter.get('/moderation/membres/recherche', requireModerator, validate(MemberLookupSchema, 'query'), h.lookupMember);
membersRouter.get('/moderation/membres/:id', requireModerator, validate(IdParamsSchema, 'params'), h.showMember);
membersRouter.post(
  '/moderation/membres/:id/suspendre',
  requireModerator,
  validate(IdParamsSchema, 'params'),
  validateForm(SuspendMemberSchema, 'members/member', h.memberPageLocals),
  h.suspend,
);
membersRouter.post('/moderation/membres/:id/reactiver', requireModerator, validate(IdParamsSchema, 'params'), h.reactivate);
