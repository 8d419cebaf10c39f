import { Router } from 'express';
import { requireModerator } from '../core/access';
import { validate } from '../core/validate';
import { dashboard } from './dashboard.handlers';
import { DashboardQuerySchema } from './dashboard.schemas';

export const dashboardRouter = Router();

dashboardRouter.get('/moderation', requireModerator, validate(DashboardQuerySchema, 'query'), dashboard);
