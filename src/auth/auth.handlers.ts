/** Thin adapters for sign-in, registration and password reset. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { flash } from '../core/flash';
import type { Actor } from '../core/policy';
import { inputOf, renderForm } from '../core/validate';
import { ForgotPasswordSchema, RegisterSchema, ResetPasswordSchema, SignInSchema, TokenParamsSchema } from '../members/members.schemas';
import { registerLocals } from '../members/members.presenter';
import { peekToken, registerMember, requestPasswordReset, resetPassword, verifyEmail } from '../members/members.service';
import { passport, type SignInFailure } from './passport';
import { safeReturnPath } from './return-path';
import { CLEAR_SITE_DATA, SESSION_COOKIE } from '../core/session';

export const loginLocals = () => ({ title: 'Se connecter' });

export const showLogin: RequestHandler = async (req, res) => {
  if (req.user) return res.redirect(303, '/');
  await renderForm(req, res, 'auth/login', { locals: loginLocals, values: { retour: safeReturnPath(req.query.retour, '') } });
};

export const signIn: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  const input = inputOf(req, SignInSchema);
  passport.authenticate('local', (err: unknown, user: Actor | false, info?: SignInFailure) => {
    if (err) return next(err);
    if (!user) {
      const message = info?.message ?? 'Adresse e-mail ou mot de passe incorrect.';
      return void renderForm(req, res, 'auth/login', {
        status: info?.status ?? 401,
        errors: { email: message },
        values: { email: input.email, retour: input.retour ?? '' },
        locals: loginLocals,
      }).catch(next);
    }
    // req.logIn regenerates the session id (no session fixation).
    req.logIn(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      res.redirect(303, user.status === 'active' ? safeReturnPath(input.retour) : '/compte');
    });
  })(req, res, next);
};

/** Tells the browser to forget what it kept of the session: cached pages, cookies, storage. */
export const signOut: RequestHandler = (req, res, next) => {
  req.logOut((err) => {
    if (err) return next(err);
    req.session.destroy(() => {
      res.set('Clear-Site-Data', CLEAR_SITE_DATA).clearCookie(SESSION_COOKIE);
      res.redirect(303, '/');
    });
  });
};

export const showRegister: RequestHandler = async (req, res) => {
  if (req.user) return res.redirect(303, '/compte');
  await renderForm(req, res, 'auth/register', { locals: registerLocals });
};

export const register: RequestHandler = async (req, res) => {
  await registerMember(inputOf(req, RegisterSchema), req.ip ?? 'unknown');
  res.redirect(303, '/inscription/envoyee');
};

export const registerSent: RequestHandler = (_req, res) => {
  res.render('auth/register-sent', { title: 'Vérifiez votre boîte e-mail' });
};

export const verify: RequestHandler = async (req, res) => {
  const member = await verifyEmail(inputOf(req, TokenParamsSchema).token);
  res.render('auth/verified', { title: 'Adresse confirmée', firstName: member.firstName, active: member.status === 'active' });
};

export const showForgot: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'auth/forgot', { extra: { title: 'Mot de passe oublié' } });
};

export const forgot: RequestHandler = async (req, res) => {
  await requestPasswordReset(inputOf(req, ForgotPasswordSchema).email, req.ip ?? 'unknown');
  res.render('auth/forgot-sent', { title: 'Vérifiez votre boîte e-mail' });
};

export const showReset: RequestHandler = async (req, res) => {
  const { token } = inputOf(req, TokenParamsSchema);
  const valid = await peekToken(token, 'reset_password');
  await renderForm(req, res, 'auth/reset', { status: valid ? 200 : 400, extra: { title: 'Nouveau mot de passe', token, invalidLink: !valid } });
};

export const reset: RequestHandler = async (req, res) => {
  const { token } = inputOf(req, TokenParamsSchema);
  const { password } = inputOf(req, ResetPasswordSchema);
  await resetPassword(token, password, req.ip ?? 'unknown');
  flash(req, 'success', 'Votre mot de passe a été changé. Vous pouvez vous connecter.');
  res.redirect(303, '/connexion');
};
