import { Router } from 'express';
import { requireMember } from '../core/access';
import { csrfAfterUpload } from '../core/csrf';
import { validate } from '../core/validate';
import * as h from './imports.handlers';
import { ConfirmImportSchema, DraftParamsSchema, ImportSettingsSchema } from './imports.schemas';
import { uploadSpreadsheet } from './upload';

export const importsRouter = Router();

importsRouter.get('/contacts/import', requireMember, h.showUpload);
importsRouter.post('/contacts/import', requireMember, uploadSpreadsheet('imports/upload', h.uploadLocals), csrfAfterUpload('/contacts/import'), h.upload);
importsRouter.get('/contacts/import/:id', requireMember, validate(DraftParamsSchema, 'params'), h.show);
importsRouter.post('/contacts/import/:id', requireMember, validate(DraftParamsSchema, 'params'), validate(ImportSettingsSchema, 'body'), h.saveSettings);
importsRouter.post('/contacts/import/:id/confirmer', requireMember, validate(DraftParamsSchema, 'params'), validate(ConfirmImportSchema, 'body'), h.confirm);
importsRouter.get('/contacts/import/:id/progression', requireMember, validate(DraftParamsSchema, 'params'), h.progress);
