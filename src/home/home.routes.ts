import { Router } from 'express';
import { publicRoute } from '../core/access';

export const homeRouter = Router();

homeRouter.get('/', publicRoute, (_req, res) => {
  res.render('home/index', { title: 'Accueil' });
});

homeRouter.get('/robots.txt', publicRoute, (_req, res) => {
  res.type('text/plain').send('User-agent: *\nDisallow: /\n');
});
