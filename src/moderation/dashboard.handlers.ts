/** GET /moderation: the moderation dashboard. */
import type { RequestHandler } from 'express';
import { requireActor } from '../core/access';
import { inputOf } from '../core/validate';
import { presentDashboard } from './dashboard.presenter';
import { DashboardQuerySchema } from './dashboard.schemas';
import { getDashboard } from './dashboard.service';

export const dashboard: RequestHandler = async (req, res) => {
  const { region } = inputOf(req, DashboardQuerySchema);
  const data = await getDashboard(requireActor(req), region);
  res.set('Cache-Control', 'private, no-store');
  res.render('moderation/dashboard', { title: 'Tableau de bord de la modération', dashboard: presentDashboard(data) });
};
