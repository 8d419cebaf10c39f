/** GET /moderation: the moderation dashboard. */
import type { RequestHandler } from 'express';
import type { Actor } from '../core/policy';
import { presentDashboard } from './dashboard.presenter';
import type { DashboardQuery } from './dashboard.schemas';
import { getDashboard } from './dashboard.service';

export const dashboard: RequestHandler = async (req, res) => {
  const { region } = req.input as DashboardQuery;
  const data = await getDashboard(req.user as Actor, region);
  res.set('Cache-Control', 'private, no-store');
  res.render('moderation/dashboard', { title: 'Tableau de bord de la modération', dashboard: presentDashboard(data) });
};
