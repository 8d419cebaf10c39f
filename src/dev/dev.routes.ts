/** Development-only pages. Mounted only when NODE_ENV=development. */
import { Router } from 'express';
import { publicRoute } from '../core/access';

export const devRouter = Router();

devRouter.get('/dev/mails', publicRoute, async (_req, res) => {
  // Imported when asked for: the mail catcher and its packages are development-only.
  const { caughtMails } = await import('../mail/mail-catcher');
  res.render('dev/mails', { title: 'E-mails envoyés (développement)', mails: caughtMails() });
});
