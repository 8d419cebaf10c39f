import { Router } from 'express';
import { requireMember } from '../core/access';
import { validate, validateForm } from '../core/validate';
import * as h from './signals.handlers';
import { CallSchema, ConfirmSchema, RateSchema, ReportSchema } from './signals.schemas';

export const signalsRouter = Router();

signalsRouter.get('/contacts/:id/utile', requireMember, h.showRate);
signalsRouter.post('/contacts/:id/utile', requireMember, validateForm(RateSchema, 'signals/rate', h.rateLocals), h.rate);
signalsRouter.post('/contacts/:id/confirmation', requireMember, validate(ConfirmSchema, 'body'), h.confirm);
signalsRouter.get('/contacts/:id/signaler', requireMember, h.showReport);
signalsRouter.post('/contacts/:id/signaler', requireMember, validateForm(ReportSchema, 'signals/report', h.reportLocals), h.report);
signalsRouter.post('/contacts/:id/signaler/retirer', requireMember, h.withdraw);
signalsRouter.post('/contacts/:id/appel', requireMember, validate(CallSchema, 'body'), h.call);
signalsRouter.post('/contacts/:id/toujours-valable', requireMember, h.stillValid);
