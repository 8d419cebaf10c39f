/** Thin adapters for adding, reading and editing contacts. */
import { agentInformationParagraphs } from '../agents/agents.service';
import type { Request, RequestHandler } from 'express';
import { listAgencies } from '../agencies/agencies.service';
import { requireActor } from '../core/access';
import { flash } from '../core/flash';
import { IdParamsSchema, inputOf, renderForm } from '../core/validate';
import { getAgencyType, listAgencyTypeGroups, listTopicGroups } from '../reference/catalog';
import { getDepartement, groupDepartementsByRegion } from '../reference/territories';
import { SECRECY_HINT } from '../screening/screening';
import { PHONE_KINDS } from './contact.model';
import * as contactInput from './contact-input';
import { ProposeContactSchema, ScreenDraftSchema, SuggestEditSchema } from './contacts.schemas';
import { presentBackToSearch } from '../search/search.presenter';
import { getThresholds } from '../settings/thresholds';
import { contactFormValues, PHONE_KIND_LABELS, presentAgencySummary, presentContact, presentTopicChoice, toVCard } from './contacts.presenter';
import * as contacts from './contacts.service';
import { approvedAccounts, mySignals } from '../signals/signals.service';
import { callChoices, otherConfirmationChoices, presentMySignals, tagChoices } from '../signals/signals.presenter';
import { myCallToday } from '../signals/calls.service';
import { CALL_OUTCOMES, type CallOutcome } from '../signals/signals.types';
import { signalPolicy } from '../signals/signals.policy';
import { isListable, myContactIds } from '../my-contacts/my-contacts.service';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

const formOptions = () => ({
  regions: groupDepartementsByRegion(),
  agencyTypeGroups: listAgencyTypeGroups(),
  topicGroups: listTopicGroups(),
  phoneKinds: PHONE_KINDS.map((code) => ({ code, label: PHONE_KIND_LABELS[code] })),
  secrecyHint: SECRECY_HINT,
  agentInformationText: agentInformationParagraphs(),
});

/** Locals of the add form: the picker's département and type come from the query (GET) or the hidden fields (POST). */
export const newLocals = async (req: Request) => {
  const source = req.method === 'GET' ? req.query : (req.body ?? {});
  const departement = str(source.pickDepartement) ?? str(source.departement) ?? requireActor(req).departement;
  const type = str(source.pickType) ?? str(source.type) ?? '';
  const agencies = departement ? await listAgencies(departement, type || undefined).catch(() => []) : [];
  const chosenId = str(source.agencyId) ?? str(source.organisme);
  const chosen = agencies.find((a) => String(a._id) === chosenId);
  const agencyType = chosen?.typeCode ?? str(source.newAgencyType) ?? (type || undefined);
  const typeLabel = type ? getAgencyType(type)?.label : undefined;
  return {
    title: 'Ajouter un contact',
    ...formOptions(),
    topicChoice: presentTopicChoice(agencyType, req.method === 'GET' ? [] : source.topics),
    picker: {
      departement,
      type,
      agencies: agencies.map(presentAgencySummary),
      scope: departement ? `du ${departement} – ${getDepartement(departement)?.name ?? departement}${typeLabel ? ` · ${typeLabel}` : ''}` : '',
    },
  };
};

export const showNew: RequestHandler = async (req, res) => {
  const locals = await newLocals(req);
  const organisme = str(req.query.organisme);
  await renderForm(req, res, 'contacts/new', {
    locals: () => locals,
    values: { kind: 'agent', phone1Kind: 'direct', phone2Kind: 'direct', agencyMode: 'existing', agencyId: organisme ?? '', newAgencyDepartement: locals.picker.departement, newAgencyType: locals.picker.type },
  });
};

export const create: RequestHandler = async (req, res) => {
  const input = inputOf(req, ProposeContactSchema);
  const { contact, warnings } = await contacts.proposeContact(requireActor(req), input);
  flash(req, 'success', 'Merci ! Votre contact sera visible après vérification par la modération de votre région, en général sous 7 jours. En attendant, vous seul·e et la modération le voyez.');
  if (input.agencyMode === 'new') flash(req, 'info', 'L’organisme que vous avez créé apparaîtra dans l’annuaire en même temps que votre contact, une fois celui-ci approuvé.');
  for (const w of warnings) flash(req, 'warning', w);
  res.redirect(303, `/contacts/${contact._id}`);
};

/** The screen's warning for one field while the member types: JSON for the form's script, nothing kept. */
export const screenDraft: RequestHandler = (req, res) => {
  const { field, text } = inputOf(req, ScreenDraftSchema);
  res.set('Cache-Control', 'no-store').json({ warning: contactInput.screenDraft(field, text) ?? null });
};

export const show: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const { contact, agency, pendingRevision } = await contacts.getContact(actor, inputOf(req, IdParamsSchema).id);
  const [mine, accounts, thresholds, myCall, myIds] = await Promise.all([
    mySignals(actor, contact),
    approvedAccounts(contact),
    getThresholds(),
    myCallToday(actor, contact),
    myContactIds(actor),
  ]);
  const view = presentContact(contact, agency, actor, { pendingRevision, minVotesShown: thresholds.minVotesShown });
  res.render('contacts/show', {
    title: `${view.title} – ${view.agency.name}`,
    contact: view,
    backToSearch: presentBackToSearch(req.query.retour),
    myContact: { listable: isListable(actor, contact, agency), inMyContacts: myIds.has(String(contact._id)), retour: req.originalUrl },
    signals: {
      mine: presentMySignals(mine),
      accounts,
      confirmationChoices: otherConfirmationChoices,
      tagChoices,
      callChoices,
      myCall: myCall ? { code: myCall.outcome, label: CALL_OUTCOMES[myCall.outcome as CallOutcome]?.label } : undefined,
      can: {
        rate: signalPolicy.rate(actor, contact),
        confirm: signalPolicy.confirm(actor, contact),
        report: signalPolicy.report(actor, contact),
        call: signalPolicy.call(actor, contact),
        recheck: signalPolicy.recheck(actor, contact),
      },
    },
  });
};

export const vcard: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const { contact, agency } = await contacts.getContact(actor, inputOf(req, IdParamsSchema).id);
  res.set('Content-Disposition', `attachment; filename="contact-${contact._id}.vcf"`);
  res.set('Cache-Control', 'no-store');
  res.type('text/vcard; charset=utf-8').send(toVCard(presentContact(contact, agency, actor)));
};

export const editLocals = async (req: Request) => {
  const actor = requireActor(req);
  const { contact, agency } = await contacts.getContact(actor, inputOf(req, IdParamsSchema).id);
  const topics: unknown = req.method === 'GET' ? contact.topics : (req.body as Record<string, unknown> | undefined)?.topics;
  return { title: 'Proposer une modification', ...formOptions(), topicChoice: presentTopicChoice(agency?.typeCode, topics), contact: presentContact(contact, agency, actor) };
};

export const showEdit: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const { contact } = await contacts.getContact(actor, inputOf(req, IdParamsSchema).id);
  await renderForm(req, res, 'contacts/edit', { locals: editLocals, values: contactFormValues(contact) });
};

export const update: RequestHandler = async (req, res) => {
  const { id } = inputOf(req, IdParamsSchema);
  const { mode, warnings } = await contacts.suggestEdit(requireActor(req), id, inputOf(req, SuggestEditSchema));
  flash(
    req,
    'success',
    mode === 'direct'
      ? 'Votre contact a été modifié ; il reste en attente de vérification par la modération.'
      : 'Merci ! Votre proposition sera examinée par la modération de la région. En attendant, tout le monde voit la version actuelle.',
  );
  for (const w of warnings) flash(req, 'warning', w);
  res.redirect(303, `/contacts/${id}`);
};

