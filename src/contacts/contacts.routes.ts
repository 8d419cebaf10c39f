import { Router } from 'express';
import { requireMember } from '../core/access';
import { validate, validateForm } from '../core/validate';
import { usageCap } from '../security/usage-caps';
import * as h from './contacts.handlers';
import { PickerQuerySchema, ProposeContactSchema, ScreenDraftSchema, SuggestEditSchema } from './contacts.schemas';

export const contactsRouter = Router();

contactsRouter.get('/contacts/nouveau', requireMember, validate(PickerQuerySchema, 'query'), h.showNew);
contactsRouter.post('/contacts/nouveau', requireMember, validateForm(ProposeContactSchema, 'contacts/new', h.newLocals), h.create);
contactsRouter.post('/contacts/verifier-texte', requireMember, validate(ScreenDraftSchema, 'body'), h.screenDraft);
contactsRouter.get('/contacts/:id', requireMember, usageCap('contact_view'), h.show);
contactsRouter.get('/contacts/:id/vcard', requireMember, usageCap('vcard'), h.vcard);
contactsRouter.get('/contacts/:id/modifier', requireMember, h.showEdit);
contactsRouter.post('/contacts/:id/modifier', requireMember, validateForm(SuggestEditSchema, 'contacts/edit', h.editLocals), h.update);
