import { Router } from 'express';
import { requireMember } from '../core/access';
import { IdParamsSchema, validate } from '../core/validate';
import { usageCap } from '../security/usage-caps';
import * as h from './my-contacts.handlers';
import { AlertsSchema, ToggleMyContactSchema } from './my-contacts.schemas';

export const myContactsRouter = Router();

myContactsRouter.get('/mes-contacts', requireMember, h.show);
myContactsRouter.get('/mes-contacts/imprimer', requireMember, h.print);
// Exports count as vCards in the member's usage caps (one per file, at most the list's 200 cards).
myContactsRouter.get('/mes-contacts/export.vcf', requireMember, usageCap('vcard'), h.exportVCard);
myContactsRouter.get('/mes-contacts/export.csv', requireMember, usageCap('vcard'), h.exportCsv);
myContactsRouter.post('/mes-contacts/alertes', requireMember, validate(AlertsSchema, 'body'), h.setAlerts);
myContactsRouter.post('/mes-contacts/:id/ajouter', requireMember, validate(IdParamsSchema, 'params'), validate(ToggleMyContactSchema, 'body'), h.add);
myContactsRouter.post('/mes-contacts/:id/retirer', requireMember, validate(IdParamsSchema, 'params'), validate(ToggleMyContactSchema, 'body'), h.remove);
