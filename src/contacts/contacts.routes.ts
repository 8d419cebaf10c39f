import { Router } from 'express';
import { requireMember } from '../core/access';
import { IdParamsSchema, validate, validateForm } from '../core/validate';
import { usageCap } from '../security/usage-caps';
import * as h from './contacts.handlers';
import { MESSAGES } from './contacts.service';
import { PickerQuerySchema, ProposeContactSchema, ScreenDraftSchema, SuggestEditSchema } from './contacts.schemas';

export const contactsRouter = Router();

contactsRouter.get('/contacts/nouveau', requireMember, validate(PickerQuerySchema, 'query'), h.showNew);
contactsRouter.post('/contacts/nouveau', requireMember, validateForm(ProposeContactSchema, 'contacts/new', h.newLocals), h.create);
contactsRouter.post('/contacts/verifier-texte', requireMember, validate(ScreenDraftSchema, 'body'), h.screenDraft);
/** A malformed id names no contact: the same 404 page as an unknown one. */
const contactId = validate(IdParamsSchema, 'params', { notFound: MESSAGES.notFound });

contactsRouter.get('/contacts/:id', requireMember, contactId, usageCap('contact_view'), h.show);
contactsRouter.get('/contacts/:id/vcard', requireMember, contactId, usageCap('vcard'), h.vcard);
contactsRouter.get('/contacts/:id/modifier', requireMember, contactId, h.showEdit);
contactsRouter.post('/contacts/:id/modifier', requireMember, contactId, validateForm(SuggestEditSchema, 'contacts/edit', h.editLocals), h.update);
