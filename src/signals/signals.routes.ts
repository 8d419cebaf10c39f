import { Router } from 'express';
import { requireMember } from '../core/access';
import { IdParamsSchema, validate, validateForm } from '../core/validate';
import { MESSAGES } from '../contacts/contacts.service';
import * as h from './signals.handlers';
import { CallSchema, ConfirmSchema, RateSchema, ReportSchema } from './signals.schemas';

export const signalsRouter = Router();
/** A malformed card id is the same 404 as an unknown card, before any form is read. */
const contactId = validate(IdParamsSchema, 'params', { notFound: MESSAGES.notFound });

signalsRouter.get('/contacts/:id/utile', requireMember, contactId, h.showRate);
signalsRouter.post('/contacts/:id/utile', requireMember, contactId, validateForm(RateSchema, 'signals/rate', h.rateLocals), h.rate);
signalsRouter.post('/contacts/:id/confirmation', requireMember, contactId, validate(ConfirmSchema, 'body'), h.confirm);
signalsRouter.get('/contacts/:id/signaler', requireMember, contactId, h.showReport);
signalsRouter.post('/contacts/:id/signaler', requireMember, contactId, validateForm(ReportSchema, 'signals/report', h.reportLocals), h.report);
signalsRouter.post('/contacts/:id/signaler/retirer', requireMember, contactId, h.withdraw);
signalsRouter.post('/contacts/:id/appel', requireMember, contactId, validate(CallSchema, 'body'), h.call);
signalsRouter.post('/contacts/:id/toujours-valable', requireMember, contactId, h.stillValid);
