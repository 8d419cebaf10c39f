/** Thin adapters for the queue, item pages, contact history and the agents' objection pages. */
import { agentInformationParagraphs } from '../agents/agents.service';
import type { Request, RequestHandler } from 'express';
import { contactLabel, type ContactState, findTransition, STATE_LABELS } from '../contacts/contact-states';
import { findAgency } from '../agencies/agencies.service';
import { getContactForModeration } from '../contacts/contacts.service';
import { SuggestEditSchema, type SuggestEditInput } from '../contacts/contacts.schemas';
import { listAgencyTypeGroups, listTopicGroups } from '../reference/catalog';
import { PHONE_KINDS } from '../contacts/contacts.types';
import { PHONE_KIND_LABELS } from '../contacts/contacts.presenter';
import { requireActor } from '../core/access';
import { flash } from '../core/flash';
import { fieldErrors, inputOf, renderForm } from '../core/validate';
import { AppError } from '../core/errors';
import { getRegion, listDepartements } from '../reference/territories';
import { isAdmin } from '../core/policy';
import { listReasons } from '../settings/reasons';
import { SECRECY_HINT } from '../screening/screening';
import { contactEvents } from '../audit/audit';
import { presentHistoryEvent } from './audit.presenter';
import { presentImportBatch, presentItemDetail, presentQueueEntry, queueTitle } from './moderation.presenter';
import { ArchiveSchema, BatchParamsSchema, DecisionFormSchema, NoteSchema, ObjectionSchema, QueueQuerySchema, QuickApproveSchema } from './moderation.schemas';
import * as moderation from './moderation.service';
import { confirmObjection, findPendingObjection, requestObjection } from './objections.service';
import { ITEM_TYPES } from '../inbox/queue';
import { TokenParamsSchema } from '../members/members.schemas';

export const queue: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const { type, region, departement, retard } = inputOf(req, QueueQuerySchema);
  const entries = await moderation.listQueueEntries(actor, { type, region, departement, overdue: !!retard });
  const regions = isAdmin(actor) ? undefined : actor.moderatorRegions;
  res.render('moderation/queue', {
    title: 'File de modération',
    items: entries.map(presentQueueEntry),
    types: Object.entries(ITEM_TYPES).map(([code, t]) => ({ code, label: t.label, selected: code === type })),
    departements: listDepartements()
      .filter((d) => !regions || regions.includes(d.regionCode))
      .map((d) => ({ code: d.code, label: `${d.code} – ${d.name}`, region: getRegion(d.regionCode)?.name, selected: d.code === departement })),
    filters: { type, region, departement, retard },
    filtered: !!(type || departement || retard),
  });
};

/** Approves from the list (one confirmation); a refusal (needs reading, already decided) comes back as a message on the list. */
export const quickApprove: RequestHandler = async (req, res) => {
  try {
    const { contact, agency, item } = await moderation.quickApprove(requireActor(req), String(req.params.id), inputOf(req, QuickApproveSchema).version);
    flash(req, 'success', `Fiche publiée : ${queueTitle({ item, contact, agency })}.`);
  } catch (err) {
    if (!(err instanceof AppError) || err.status !== 409) throw err;
    flash(req, 'error', err.message);
  }
  const retour = (req.body as Record<string, unknown> | undefined)?.retour;
  const back = typeof retour === 'string' && /^\/moderation\/file(\?|$)/.test(retour) ? retour : '/moderation/file';
  res.redirect(303, back);
};

export const itemLocals = async (req: Request) => {
  const actor = requireActor(req);
  const data = await moderation.getItem(actor, String(req.params.id));
  const agency = data.contact ? await findAgency(data.contact.agencyId) : null;
  return {
    title: 'Élément de modération',
    item: presentItemDetail(actor, { ...data, agency }),
    topicGroups: listTopicGroups(),
    agencyTypeGroups: listAgencyTypeGroups(),
    phoneKinds: PHONE_KINDS.map((code) => ({ code, label: PHONE_KIND_LABELS[code] })),
    secrecyHint: SECRECY_HINT,
    agentInformationText: agentInformationParagraphs(),
  };
};

export const showItem: RequestHandler = async (req, res) => {
  const locals = await itemLocals(req);
  await renderForm(req, res, 'moderation/item', { locals: () => locals, values: locals.item.contactValues ?? {} });
};

/** « Approve after editing »: the card's fields, checked as a member's suggested edit is. */
async function editsOf(req: Request): Promise<SuggestEditInput> {
  const parsed = await SuggestEditSchema.safeParseAsync(req.body ?? {});
  if (!parsed.success) throw new AppError(422, 'invalid', 'Corrigez la fiche avant d’approuver.', fieldErrors(parsed.error));
  return parsed.data;
}

export const decide: RequestHandler = async (req, res) => {
  const input = inputOf(req, DecisionFormSchema);
  const edits = input.action === 'approve_edited' ? await editsOf(req) : undefined;
  await moderation.decide(requireActor(req), String(req.params.id), { ...input, edits });
  flash(req, 'success', `Décision enregistrée : ${moderation.ACTIONS[input.action]}.`);
  res.redirect(303, '/moderation/file');
};

export const note: RequestHandler = async (req, res) => {
  await moderation.addNote(requireActor(req), String(req.params.id), inputOf(req, NoteSchema).text);
  flash(req, 'success', 'Note ajoutée (visible seulement par la modération).');
  res.redirect(303, `/moderation/elements/${req.params.id}`);
};

export const claim: RequestHandler = async (req, res) => {
  await moderation.claimItem(requireActor(req), String(req.params.id));
  flash(req, 'info', 'Vous avez pris cet élément en charge pour 30 minutes.');
  res.redirect(303, `/moderation/elements/${req.params.id}`);
};

export const history: RequestHandler = async (req, res) => {
  const actor = requireActor(req);
  const { contact, agency } = await getContactForModeration(actor, String(req.params.id));
  const events = await contactEvents(contact._id);
  events.sort((a, b) => b.at.getTime() - a.at.getTime());
  res.render('moderation/history', {
    title: 'Historique de la fiche',
    contactId: String(contact._id),
    label: contactLabel(contact),
    agencyName: agency.name,
    state: contact.state,
    stateLabel: STATE_LABELS[contact.state as ContactState] ?? contact.state,
    // What the lifecycle table (contacts/contact-states.ts) allows from here; the service checks again.
    canRestore: !!findTransition('moderator', 'restore', contact.state) && !contact.objectedAt,
    canArchive: !!findTransition('moderator', 'archive', contact.state),
    agentInformedAt: contact.agentInformedAt,
    events: events.map(presentHistoryEvent),
    reasons: await listReasons(),
  });
};

export const archive: RequestHandler = async (req, res) => {
  await moderation.archiveOrRestore(requireActor(req), String(req.params.id), 'archived', inputOf(req, ArchiveSchema).reasonCode);
  flash(req, 'success', 'Fiche archivée.');
  res.redirect(303, `/moderation/contacts/${req.params.id}/historique`);
};

export const restore: RequestHandler = async (req, res) => {
  await moderation.archiveOrRestore(requireActor(req), String(req.params.id), 'published');
  flash(req, 'success', 'Fiche restaurée.');
  res.redirect(303, `/moderation/contacts/${req.params.id}/historique`);
};

export const objectionLocals = () => ({ title: 'Vos droits : retirer vos coordonnées' });

export const showObjection: RequestHandler = async (req, res) => {
  await renderForm(req, res, 'moderation/objection', {
    locals: objectionLocals,
    values: { reference: typeof req.query.fiche === 'string' ? req.query.fiche : '' },
  });
};

export const objection: RequestHandler = async (req, res) => {
  const { email, reference } = inputOf(req, ObjectionSchema);
  await requestObjection(email, reference, req.ip ?? 'unknown');
  res.render('moderation/objection-sent', { title: 'Vérifiez votre boîte e-mail' });
};

export const showObjectionConfirm: RequestHandler = async (req, res) => {
  const { token } = inputOf(req, TokenParamsSchema);
  const pending = await findPendingObjection(token);
  res.status(pending ? 200 : 400).render('moderation/objection-confirm', {
    title: 'Confirmer votre opposition',
    token,
    valid: !!pending,
    count: pending?.contactIds.length ?? 0,
    waiting: pending?.unverifiedIds?.length ?? 0,
  });
};

export const objectionConfirm: RequestHandler = async (req, res) => {
  const outcome = await confirmObjection(inputOf(req, TokenParamsSchema).token);
  res.render('moderation/objection-done', { title: 'Opposition enregistrée', ...outcome });
};

/** The cards of one spreadsheet import, with « approve those that need no reading ». */
export const importBatch: RequestHandler = async (req, res) => {
  const batchId = inputOf(req, BatchParamsSchema).id;
  const entries = await moderation.getImportBatch(requireActor(req), batchId);
  res.render('moderation/import-batch', { title: 'Lot d’import', ...presentImportBatch(batchId, entries) });
};

export const approveImportBatch: RequestHandler = async (req, res) => {
  const batchId = inputOf(req, BatchParamsSchema).id;
  const { approved, left, alreadyDecided, more } = await moderation.approveImportBatch(requireActor(req), batchId);
  const s = (n: number) => (n > 1 ? 's' : '');
  flash(
    req,
    'success',
    `${approved} fiche${s(approved)} publiée${s(approved)}.${more ? ` ${more} autre${s(more)} à publier : cliquez de nouveau sur « Publier ».` : ''}${left ? ` ${left} à lire une par une.` : ''}${alreadyDecided ? ` ${alreadyDecided} déjà traitée${s(alreadyDecided)} entre-temps.` : ''}`,
  );
  res.redirect(303, `/moderation/imports/${batchId}`);
};
