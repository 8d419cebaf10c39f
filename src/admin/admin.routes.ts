import { Router } from 'express';
import { requireAdmin, requireModerator } from '../core/access';
import { IdParamsSchema, validate, validateForm } from '../core/validate';
import * as h from './admin.handlers';
import {
  ApprovalReasonsFormSchema, AppointModeratorSchema, JournalQuerySchema, ModeratorRegionsSchema, ReasonsFormSchema, ThresholdsFormSchema,
} from './admin.schemas';

export const adminRouter = Router();

adminRouter.get('/admin', requireAdmin, h.home);

adminRouter.get('/admin/moderateurs', requireAdmin, h.showModerators);
adminRouter.post('/admin/moderateurs', requireAdmin, validateForm(AppointModeratorSchema, 'admin/moderators', h.moderatorsLocals), h.appoint);
adminRouter.post(
  '/admin/moderateurs/:id',
  requireAdmin,
  validate(IdParamsSchema, 'params'),
  validateForm(ModeratorRegionsSchema, 'admin/moderators', h.moderatorsLocals),
  h.changeRegions,
);
adminRouter.post('/admin/moderateurs/:id/retirer', requireAdmin, validate(IdParamsSchema, 'params'), h.revoke);

adminRouter.get('/admin/motifs', requireAdmin, h.showReasons);
adminRouter.post('/admin/motifs', requireAdmin, validateForm(ReasonsFormSchema, 'admin/reasons', h.reasonsLocals), h.saveReasons);
adminRouter.post('/admin/motifs/approbation', requireAdmin, validateForm(ApprovalReasonsFormSchema, 'admin/reasons', h.reasonsLocals), h.saveApprovalReasons);

adminRouter.get('/admin/seuils', requireAdmin, h.showThresholds);
adminRouter.post('/admin/seuils', requireAdmin, validateForm(ThresholdsFormSchema, 'admin/thresholds', h.thresholdsLocals), h.saveThresholds);

adminRouter.get('/admin/journal', requireAdmin, validate(JournalQuerySchema, 'query'), h.journal);
adminRouter.get('/moderation/journal', requireModerator, validate(JournalQuerySchema, 'query'), h.journal);
