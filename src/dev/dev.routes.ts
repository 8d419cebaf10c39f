/** Development-only pages. Mounted only when NODE_ENV=development. */
import { Router } from 'express';
import { publicRoute } from '../core/access';
import { caughtMails } from '../mail/mail-catcher';

export const devRouter = Router();

devRouter.get('/dev/mails', publicRoute, (_req, res) => {
  res.render('dev/mails', { title: 'E-mails envoyés (développement)', mails: caughtMails() });
});
