import { Router } from 'express';
import { publicRoute, requireModerator } from '../core/access';
import { validate, validateForm } from '../core/validate';
import { TokenParamsSchema } from '../members/members.schemas';
import * as h from './moderation.handlers';
import { ArchiveSchema, BatchParamsSchema, DecisionFormSchema, NoteSchema, ObjectionSchema, QueueQuerySchema, QuickApproveSchema } from './moderation.schemas';

export const moderationRouter = Router();

moderationRouter.get('/moderation/file', requireModerator, validate(QueueQuerySchema, 'query'), h.queue);
moderationRouter.get('/moderation/elements/:id', requireModerator, h.showItem);
moderationRouter.post(
  '/moderation/elements/:id/decision',
  requireModerator,
  validateForm(DecisionFormSchema, 'moderation/item', h.itemLocals),
  h.decide,
);
moderationRouter.post('/moderation/elements/:id/approuver', requireModerator, validate(QuickApproveSchema, 'body'), h.quickApprove);
moderationRouter.post('/moderation/elements/:id/note', requireModerator, validateForm(NoteSchema, 'moderation/item', h.itemLocals), h.note);
moderationRouter.post('/moderation/elements/:id/prendre', requireModerator, h.claim);
moderationRouter.get('/moderation/contacts/:id/historique', requireModerator, h.history);
moderationRouter.post('/moderation/contacts/:id/archiver', requireModerator, validate(ArchiveSchema, 'body'), h.archive);
moderationRouter.post('/moderation/contacts/:id/restaurer', requireModerator, h.restore);

moderationRouter.get('/moderation/imports/:id', requireModerator, validate(BatchParamsSchema, 'params'), h.importBatch);
moderationRouter.post('/moderation/imports/:id/approuver', requireModerator, validate(BatchParamsSchema, 'params'), h.approveImportBatch);

moderationRouter.get('/opposition', publicRoute, h.showObjection);
moderationRouter.post('/opposition', publicRoute, validateForm(ObjectionSchema, 'moderation/objection', h.objectionLocals), h.objection);
moderationRouter.get('/opposition/confirmer/:token', publicRoute, validate(TokenParamsSchema, 'params'), h.showObjectionConfirm);
moderationRouter.post('/opposition/confirmer/:token', publicRoute, validate(TokenParamsSchema, 'params'), h.objectionConfirm);
