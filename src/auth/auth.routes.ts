import { Router } from 'express';
import { publicRoute, requireAccount } from '../core/access';
import { validate, validateForm } from '../core/validate';
import { ForgotPasswordSchema, RegisterSchema, ResetPasswordSchema, SignInSchema, TokenParamsSchema } from '../members/members.schemas';
import { registerLocals } from '../members/members.presenter';
import * as h from './auth.handlers';

export const authRouter = Router();

authRouter.get('/connexion', publicRoute, h.showLogin);
authRouter.post('/connexion', publicRoute, validateForm(SignInSchema, 'auth/login', h.loginLocals), h.signIn);
authRouter.post('/deconnexion', requireAccount, h.signOut);

authRouter.get('/inscription', publicRoute, h.showRegister);
authRouter.post('/inscription', publicRoute, validateForm(RegisterSchema, 'auth/register', registerLocals), h.register);
authRouter.get('/inscription/envoyee', publicRoute, h.registerSent);
authRouter.get('/inscription/verifier/:token', publicRoute, validate(TokenParamsSchema, 'params'), h.verify);

authRouter.get('/mot-de-passe-oublie', publicRoute, h.showForgot);
authRouter.post('/mot-de-passe-oublie', publicRoute, validateForm(ForgotPasswordSchema, 'auth/forgot', () => ({ title: 'Mot de passe oublié' })), h.forgot);
authRouter.get('/mot-de-passe/reinitialiser/:token', publicRoute, validate(TokenParamsSchema, 'params'), h.showReset);
authRouter.post(
  '/mot-de-passe/reinitialiser/:token',
  publicRoute,
  validate(TokenParamsSchema, 'params'),
  validateForm(ResetPasswordSchema, 'auth/reset', (req) => ({ title: 'Nouveau mot de passe', token: req.params.token })),
  h.reset,
);
