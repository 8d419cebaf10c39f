/**
 * Contacts: adding one (screened, normalised, duplicates caught, pending until
 * a moderator of its région approves), reading it, suggesting a change (a
 * pending revision: members keep seeing the published version), and the
 * moderator decisions the moderation queue builds on.
 */
import { Types } from 'mongoose';
import { agenciesByIds, findAgency, findOrCreateAgency, loadAgencyFor } from '../agencies/agencies.service';
import type { AgencyDoc } from '../agencies/agency.model';
import { AppError, conflict, notFound } from '../core/errors';
import { addToSets, idsInSets, LOOKUP_READ_LIMIT } from '../core/lookup';
import { logger } from '../core/logger';
import { LockBusy, withLocks } from '../core/mutex';
import { type Actor, authorize } from '../core/policy';
import { agencyContactIds, visibleCountsInDepartement } from '../search/search.service';
import { Contact, type ContactDoc, importBatchKey, VISIBLE_STATES } from './contact.model';
import { type ContactState, findTransition, isInReview, isVisibleState, PERSONAL_PHONE_KINDS, STATE_LABELS } from './contact-states';
import { ContactRevision, type ContactRevisionDoc } from './contact-revision.model';
import {
  agencyContactsKey,
  agencyReviewKey,
  agentKeyOf,
  changeState,
  contactsByIds,
  contactsByKeys,
  insertContact,
  phoneKey,
  type StateChange,
  updateContact,
} from './contact-store';
import { type ContactValues, diffContact, FIELD_NAMES, type Flag, newAgencyFields, type PreparedContact, prepareContact } from './contact-input';
import { contactPolicy } from './contacts.policy';
import type { AgentCorrectionInput, ProposeContactInput, SuggestEditInput } from './contacts.schemas';
import { enqueue } from '../inbox/queue';
import { AGENT_ACTOR_NAME } from '../audit/audit-actions';
import { flagReasons } from './contact-input';
import { isSuppressed, suppress } from './suppression';
import { finishing } from '../core/unfinished';

const log = logger('contacts');

export const MESSAGES = {
  notFound: 'Ce contact n’existe pas ou plus, ou il n’est pas encore visible.',
  suppressed: 'Ce contact ne peut pas être ajouté à l’annuaire.',
  duplicateNumber:
    'Ce numéro figure déjà dans l’annuaire (voir la fiche ci-dessus). Si c’est la même personne, complétez plutôt sa fiche ; sinon, dites en bas du formulaire pourquoi l’enregistrer quand même.',
  duplicateName:
    'Cette personne semble déjà figurer dans cet organisme (voir la fiche ci-dessus). S’il s’agit d’une autre personne, dites-le en bas du formulaire.',
  noChange: 'Vous n’avez rien modifié.',
  busy: 'Un ajout du même numéro est en cours à l’instant. Renvoyez le formulaire dans quelques secondes : ce que vous avez saisi est conservé.',
  agentNotInformed:
    'Cette fiche nomme une personne sans son e-mail professionnel et sans dire comment elle est informée : elle ne peut pas être publiée. Demandez à l’auteur de compléter (e-mail, ou accord de la personne), ou corrigez la fiche.',
};

/** Whether a named agent would learn of their card: by the information e-mail, or as the author says (docs/agents.md). */
export const agentWillBeInformed = (c: Pick<ContactDoc, 'kind' | 'email' | 'agentInformed'>) => c.kind !== 'agent' || !!c.email || !!c.agentInformed;

/** What members may see of another contact found as a duplicate. */
export interface DuplicateSummary {
  id: string;
  label: string;
  visible: boolean;
  /** Only for a card the member may see: where it is and what state it is in. */
  agencyName?: string;
  stateLabel?: string;
}

const EXCLUDED_FROM_DUPLICATES = ['rejected', 'erased', 'merged', 'archived'];

/** The keyed sets a proposal's duplicates are found under (its numbers; its agent in the agency). */
const duplicateKeys = (values: ContactValues, agencyId: Types.ObjectId) => [
  ...values.phoneKeys.map(phoneKey),
  ...(values.agentKey ? [agentKeyOf(agencyId, values.agentKey)] : []),
];

/**
 * The cards that may duplicate a proposal. `candidates`: the cards of its keys already loaded with
 * others' (a dry run of many lines); the fields are checked here either way.
 */
async function findDuplicates(actor: Actor, values: ContactValues, agencyId: Types.ObjectId, exceptId?: Types.ObjectId, candidates?: ContactDoc[]) {
  // Keyed sets, then the real fields: a set may still hold a card whose number or name changed.
  const byNumber = (candidates ?? (await contactsByKeys(values.phoneKeys.map(phoneKey)))).filter((c) => c.phoneKeys.some((p) => values.phoneKeys.includes(p)));
  const byName = values.agentKey
    ? (candidates ?? (await contactsByKeys([agentKeyOf(agencyId, values.agentKey)]))).filter((c) => c.agencyId.equals(agencyId) && c.agentKey === values.agentKey)
    : [];
  const keep = (c: ContactDoc) => !EXCLUDED_FROM_DUPLICATES.includes(c.state) && (!exceptId || !c._id.equals(exceptId));
  const number = byNumber.filter(keep).slice(0, 20);
  const name = byName.filter(keep).slice(0, 20);
  // The agencies of the cards found, by _id (a keyed read): the member sees where the other card is.
  const agencyIds = [...new Set([...number, ...name].filter((c) => contactPolicy.view(actor, c)).map((c) => String(c.agencyId)))];
  const agencyNames = new Map(
    (await agenciesByIds(agencyIds)).map((a) => [String(a._id), a.name]),
  );
  const summarize = (c: ContactDoc): DuplicateSummary => {
    const visible = contactPolicy.view(actor, c);
    const who = contactPolicy.seePersonalDetails(actor, c) && c.kind === 'agent' ? [c.agentFirstName, c.agentLastName].filter(Boolean).join(' ') : '';
    if (!visible) return { id: String(c._id), visible, label: 'Une fiche en cours de vérification par la modération' };
    return {
      id: String(c._id),
      visible,
      label: [who, c.function, c.service].filter(Boolean).join(' · ') || (c.kind === 'agent' ? 'Personne nommée' : 'Ligne de service'),
      agencyName: agencyNames.get(String(c.agencyId)),
      stateLabel: STATE_LABELS[c.state as ContactState],
    };
  };
  return { number: number.map(summarize), name: name.map(summarize) };
}

async function resolveAgency(actor: Actor, input: ProposeContactInput): Promise<AgencyDoc> {
  if (input.agencyMode === 'existing') return loadAgencyFor(actor, input.agencyId!);
  return findOrCreateAgency(actor, {
    name: input.newAgencyName!,
    typeCode: input.newAgencyType!,
    departement: input.newAgencyDepartement!,
    commune: input.newAgencyCommune,
    postcode: input.newAgencyPostcode,
  });
}

/** Where a proposal comes from when it is not the add form: a line of a spreadsheet import (imports/imports.service.ts). */
export interface ProposalOrigin {
  /** The card's `_id`, derived from the import and the line: a retried line finds its card instead of a duplicate. */
  contactId: Types.ObjectId;
  importBatchId: string;
}

async function prepareProposal(actor: Actor, input: ProposeContactInput, agency?: AgencyDoc, { suppression = true } = {}) {
  authorize(contactPolicy.propose(actor), 'Seuls les membres validés peuvent ajouter un contact.');
  const agencyForScreening =
    input.agencyMode === 'existing' ? (agency && String(agency._id) === input.agencyId ? agency : await loadAgencyFor(actor, input.agencyId!)) : undefined;
  // A new agency's name and commune are screened too, and are not words the screen allows (docs/moderation.md).
  const prepared = prepareContact(input, agencyForScreening ?? { name: '', departement: input.newAgencyDepartement!, typeCode: input.newAgencyType! }, newAgencyFields(input));
  if (suppression && (await isSuppressed(prepared.values.phoneKeys, prepared.values.email))) {
    throw new AppError(422, 'suppressed', MESSAGES.suppressed, { _form: MESSAGES.suppressed });
  }
  return { prepared, agencyForScreening };
}

/** What adding this contact would do, without writing anything (the import's dry run). */
export type ProposalCheck =
  | { outcome: 'new'; flags: Flag[]; warnings: string[]; phoneKeys: string[]; agentKey?: string }
  | { outcome: 'duplicate'; kind: 'number' | 'name'; duplicates: DuplicateSummary[] };

/**
 * Runs every rule of `proposeContact` but the writes: the screen, the phone
 * normalisation, the suppression list and the duplicate check. Throws the same
 * 422s (secrecy, bad phone, suppressed). `agency` saves a read when the caller
 * already loaded the existing agency through `loadAgencyFor`.
 */
export async function checkProposal(actor: Actor, input: ProposeContactInput, agency?: AgencyDoc): Promise<ProposalCheck> {
  const [result] = await checkProposals(actor, [{ input, agency }]);
  if (result instanceof Error) throw result;
  return result;
}

/**
 * `checkProposal` for many proposals at once (an import's dry run): the same rules, with the
 * suppression list and the keyed sets of all of them read together. Each result is the check or
 * the AppError that proposal alone would have thrown.
 */
export async function checkProposals(actor: Actor, items: Array<{ input: ProposeContactInput; agency?: AgencyDoc }>): Promise<Array<ProposalCheck | AppError>> {
  authorize(contactPolicy.propose(actor), 'Seuls les membres validés peuvent ajouter un contact.');
  const prepared = await Promise.all(
    items.map(async ({ input, agency }) => {
      try {
        return await prepareProposal(actor, input, agency, { suppression: false });
      } catch (err) {
        if (err instanceof AppError) return err;
        throw err;
      }
    }),
  );
  const ok = prepared.filter((p): p is Exclude<(typeof prepared)[number], AppError> => !(p instanceof AppError));
  // A new agency has no cards yet: only the numbers can be duplicates.
  const agencyIdOf = (p: (typeof ok)[number]) => p.agencyForScreening?._id ?? new Types.ObjectId();
  const anySuppressed = await isSuppressed(ok.flatMap((p) => p.prepared.values.phoneKeys), ok.map((p) => p.prepared.values.email ?? ''));
  const keys = [...new Set(ok.flatMap((p) => duplicateKeys(p.prepared.values, agencyIdOf(p))))];
  // Past one read's worth of keys or ids, each proposal reads its own sets (as proposeContact does).
  const ids = keys.length <= LOOKUP_READ_LIMIT ? await idsInSets(keys) : undefined;
  const candidates = ids && ids.length < LOOKUP_READ_LIMIT ? await contactsByIds(ids) : undefined;
  return Promise.all(
    prepared.map(async (p) => {
      if (p instanceof AppError) return p;
      const { values, flags, warnings } = p.prepared;
      if (anySuppressed && (await isSuppressed(values.phoneKeys, values.email))) return new AppError(422, 'suppressed', MESSAGES.suppressed, { _form: MESSAGES.suppressed });
      const duplicates = await findDuplicates(actor, values, agencyIdOf(p), undefined, candidates);
      if (duplicates.number.length) return { outcome: 'duplicate' as const, kind: 'number' as const, duplicates: duplicates.number };
      if (duplicates.name.length) return { outcome: 'duplicate' as const, kind: 'name' as const, duplicates: duplicates.name };
      return { outcome: 'new' as const, flags, warnings, phoneKeys: values.phoneKeys, agentKey: values.agentKey };
    }),
  );
}

/**
 * Adds a contact for moderation (state `pending`). Refuses text that holds
 * data about people helped, identifiers on the suppression list, and
 * duplicates (the same number anywhere; the same agent in the same agency
 * unless the member confirms it is someone else). Any active member may call it.
 * `origin` names the import line a card comes from (its `_id` and batch);
 * `agencyLoaded`, an existing agency the caller already loaded for the actor.
 */
export async function proposeContact(
  actor: Actor,
  input: ProposeContactInput,
  origin?: ProposalOrigin,
  agencyLoaded?: AgencyDoc,
): Promise<{ contact: ContactDoc; warnings: string[] }> {
  const { prepared, agencyForScreening } = await prepareProposal(actor, input, agencyLoaded);
  const agency = agencyForScreening ?? (await resolveAgency(actor, input));
  // Two members adding the same number (or the same person) at once would both pass the duplicate
  // check: the check and the insert run under locks on the numbers and the name (core/mutex.ts).
  const locks = [...prepared.values.phoneKeys.map((k) => `contact-number:${k}`), ...(prepared.values.agentKey ? [`contact-agent:${agency._id}:${prepared.values.agentKey}`] : [])];
  return withLocks(locks, () => insertProposal(actor, input, prepared, agency, origin)).catch((err: unknown) => {
    if (err instanceof LockBusy) throw new AppError(409, 'busy', MESSAGES.busy, { _form: MESSAGES.busy });
    throw err;
  });
}

/** The duplicate check and the insert of a proposal (under the locks of proposeContact). */
async function insertProposal(
  actor: Actor,
  input: ProposeContactInput,
  prepared: PreparedContact,
  agency: AgencyDoc,
  origin?: ProposalOrigin,
): Promise<{ contact: ContactDoc; warnings: string[] }> {
  const duplicates = await findDuplicates(actor, prepared.values, agency._id);
  // A duplicate is refused with the other card shown, unless the member says why this one is another
  // line (docs/contact-lifecycle.md, « Doublons »): the choice goes to the moderator as a flag.
  const choice = input.duplicateReason ?? (input.confirmDifferent ? 'other_person' : undefined);
  const found = [
    { kind: 'number', list: duplicates.number, code: 'duplicate_number', field: 'phone1', message: MESSAGES.duplicateNumber },
    { kind: 'name', list: duplicates.name, code: 'duplicate_name', field: 'agentLastName', message: MESSAGES.duplicateName },
  ].find((d) => d.list.length);
  if (found && !choice) {
    throw new AppError(409, found.code, found.message, { [found.field]: found.message }).withDetails({
      duplicates: found.list,
      askConfirmDifferent: true,
      duplicateKind: found.kind,
    });
  }
  if (found) prepared.flags.push({ field: found.field, kind: choice === 'shared_line' && found.kind === 'number' ? 'declared_shared_line' : 'declared_other_person' });
  // The card and its queue item are two writes: the note lets the repair add a missing item within minutes.
  const contactId = origin?.contactId ?? new Types.ObjectId();
  // Like every keyed set, the batch's is written before the card (core/lookup.ts).
  if (origin) await addToSets([importBatchKey(origin.importBatchId)], contactId);
  const created = await finishing('review', contactId, async () => {
    const card = await insertContact({
      _id: contactId,
      ...prepared.values,
      agencyId: agency._id,
      departement: agency.departement,
      region: agency.region,
      state: 'pending',
      screeningFlags: prepared.flags,
      createdBy: new Types.ObjectId(actor.id),
      revision: 1,
      ...(origin ? { importBatchId: origin.importBatchId } : {}),
    });
    await enqueueReview(card, prepared.flags);
    return card;
  });
  log.info({ contactId: String(created._id), flags: prepared.flags.length }, 'contact proposed');
  return { contact: created, warnings: prepared.warnings };
}

/** The new-contact item of a card in review (also used by the repair, jobs/repair.ts). */
export async function enqueueReview(card: ContactDoc, flags: Flag[] = (card.screeningFlags ?? []) as Flag[], resubmitted = false): Promise<void> {
  await enqueue({
    type: 'new_contact',
    targetType: 'contact',
    targetId: card._id,
    contactId: card._id,
    region: card.region,
    createdBy: card.createdBy ?? undefined,
    reason: resubmitted
      ? { code: 'resubmitted', label: ['Fiche complétée par son auteur', ...flagReasons(flags)].join(' · ') }
      : { code: 'new_contact', label: [card.importBatchId ? 'Nouveau contact importé d’un tableur' : 'Nouveau contact proposé', ...flagReasons(flags)].join(' · ') },
  });
}

/** The edit item of a pending revision (also used by the repair, jobs/repair.ts). */
export async function enqueueEdit(revision: ContactRevisionDoc): Promise<void> {
  const fields = (revision.changes ?? []).map((c) => FIELD_NAMES[c.field ?? ''] ?? c.field).join(', ');
  const what = revision.fromAgent ? 'Correction proposée par l’agent lui-même (depuis son lien personnel)' : 'Modification proposée';
  await enqueue({
    type: 'edit',
    targetType: 'revision',
    targetId: revision._id,
    contactId: revision.contactId,
    region: revision.region ?? '',
    createdBy: revision.proposedBy ?? undefined,
    reason: {
      code: 'edit',
      label: [`${what} : ${fields || 'commentaire'}`, ...flagReasons((revision.screeningFlags ?? []) as Flag[])].join(' · '),
    },
  });
}

async function loadContact(id: string): Promise<ContactDoc> {
  const c = Types.ObjectId.isValid(id) ? await Contact.findById(id).lean<ContactDoc>() : null;
  if (!c) throw notFound(MESSAGES.notFound);
  return c;
}

/** A contact with its agency, if the actor may see it (otherwise a 404 that reveals nothing). */
export async function getContact(actor: Actor, id: string): Promise<{ contact: ContactDoc; agency: AgencyDoc; pendingRevision?: ContactRevisionDoc }> {
  const contact = await loadContact(id);
  if (!contactPolicy.view(actor, contact)) throw notFound(MESSAGES.notFound);
  const agency = await loadAgencyFor(actor, String(contact.agencyId)).catch(() => {
    throw notFound(MESSAGES.notFound);
  });
  const pendingRevision = await findPendingRevision(contact._id, actor.id);
  return { contact, agency, pendingRevision };
}

/** The key of the set of a member's revisions of a contact (core/lookup.ts). */
const revisionsKey = (contactId: Types.ObjectId | string, memberId: string) => `revisions:${contactId}:${memberId}`;
/** The proposer key of the listed agent's own corrections (they have no member id). */
const AGENT_PROPOSER = 'agent';

async function findPendingRevision(contactId: Types.ObjectId, memberId: string): Promise<ContactRevisionDoc | undefined> {
  const ids = await idsInSets([revisionsKey(contactId, memberId)]);
  if (!ids.length) return undefined;
  const revisions = await ContactRevision.find({ _id: { $in: ids } }).lean<ContactRevisionDoc[]>();
  return revisions.find(
    (r) => r.status === 'pending' && r.contactId.equals(contactId) && (memberId === AGENT_PROPOSER ? !!r.fromAgent : String(r.proposedBy) === memberId),
  );
}

export const AGENCY_PAGE_SIZE = 50;

/**
 * The contacts of an agency the actor may see, a page at a time: the visible
 * ones by rank (from the search index), plus on the first page the cards in
 * review the actor may see (their own; all of them for its moderators).
 * Without the search engine, the first cards of the agency's set.
 */
export async function listContactsOfAgency(
  actor: Actor,
  agencyId: Types.ObjectId,
  page = 1,
): Promise<{ contacts: ContactDoc[]; total: number; pages: number; degraded: boolean }> {
  let visible: ContactDoc[];
  let total: number;
  let degraded = false;
  try {
    const found = await agencyContactIds(agencyId, { offset: (page - 1) * AGENCY_PAGE_SIZE, limit: AGENCY_PAGE_SIZE });
    visible = await contactsByIds(found.ids);
    total = found.total;
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'agency page without the search engine');
    degraded = true;
    const ids = await idsInSets([agencyContactsKey(agencyId)], page * AGENCY_PAGE_SIZE);
    visible = (await contactsByIds(ids.slice((page - 1) * AGENCY_PAGE_SIZE))).filter((c) => (VISIBLE_STATES as readonly string[]).includes(c.state));
    total = visible.length;
  }
  const inReview =
    page === 1 ? (await contactsByKeys([agencyReviewKey(agencyId)], 200)).filter((c) => !(VISIBLE_STATES as readonly string[]).includes(c.state)) : [];
  const contacts = [...visible, ...inReview]
    .filter((c) => c.agencyId.equals(agencyId) && contactPolicy.view(actor, c))
    .sort((a, b) => (b.rankScore ?? 0) - (a.rankScore ?? 0));
  const order = (c: ContactDoc) => ((VISIBLE_STATES as readonly string[]).includes(c.state) ? 0 : 1);
  contacts.sort((a, b) => order(a) - order(b));
  return { contacts, total, pages: Math.max(1, Math.ceil(total / AGENCY_PAGE_SIZE)), degraded };
}

/** Counts of visible contacts per agency of a département (browse page); empty when the search engine is away. */
export async function visibleCountsByAgency(departement: string): Promise<Map<string, number>> {
  return visibleCountsInDepartement(departement).catch((err) => {
    log.warn({ err: { message: (err as Error).message } }, 'agency counts without the search engine');
    return new Map<string, number>();
  });
}

/**
 * Suggests a change. The author of a contact still in review edits it
 * directly (and resubmits it); anyone else creates a pending revision with a
 * field-level diff, replacing their own earlier pending one, and members keep
 * seeing the published version until a moderator approves it.
 */
export async function suggestEdit(actor: Actor, id: string, input: SuggestEditInput): Promise<{ mode: 'direct' | 'revision'; warnings: string[] }> {
  const contact = await loadContact(id);
  const direct = contactPolicy.editOwnDraft(actor, contact);
  authorize(direct || contactPolicy.suggestEdit(actor, contact), 'Vous ne pouvez pas modifier ce contact.');
  const agency = await loadAgencyFor(actor, String(contact.agencyId));
  const prepared = prepareContact(input, agency);
  const changes = diffContact(contact, prepared.values);
  if (!changes.length && !input.note) throw new AppError(422, 'no_change', MESSAGES.noChange, { _form: MESSAGES.noChange });
  const newNumbers = prepared.values.phoneKeys.filter((p) => !contact.phoneKeys.includes(p));
  if (await isSuppressed(newNumbers, prepared.values.email !== contact.email ? prepared.values.email : undefined)) {
    throw new AppError(422, 'suppressed', MESSAGES.suppressed, { _form: MESSAGES.suppressed });
  }
  const duplicates = await findDuplicates(actor, { ...prepared.values, phoneKeys: newNumbers, agentKey: undefined }, agency._id, contact._id);
  if (duplicates.number.length) {
    throw new AppError(409, 'duplicate_number', MESSAGES.duplicateNumber, { phone1: MESSAGES.duplicateNumber }).withDetails({ duplicates: duplicates.number });
  }

  if (direct) {
    // Conditional on the card as read: a moderator who decided meanwhile wins, and the author is told.
    await finishing('review', contact._id, async () => {
      const { after } = await changeState(contact, { by: 'author', action: 'resubmit', set: { ...prepared.values, screeningFlags: prepared.flags } });
      await enqueueReview(after, prepared.flags, true);
    });
    return { mode: 'direct', warnings: prepared.warnings };
  }
  const earlier = await findPendingRevision(contact._id, actor.id);
  const revisionId = earlier?._id ?? new Types.ObjectId();
  if (!earlier) await addToSets([revisionsKey(contact._id, actor.id)], revisionId);
  await finishing('revision', revisionId, async () => {
    const revision = await ContactRevision.findOneAndUpdate(
      { _id: revisionId, status: 'pending' },
      {
        $set: { proposed: prepared.values, changes, baseRevision: contact.revision, note: input.note, screeningFlags: prepared.flags, region: contact.region },
        $setOnInsert: { contactId: contact._id, proposedBy: new Types.ObjectId(actor.id), status: 'pending' },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean<ContactRevisionDoc>();
    await enqueueEdit(revision!);
  });
  log.info({ contactId: String(contact._id), fields: changes.map((c) => c.field) }, 'revision proposed');
  return { mode: 'revision', warnings: prepared.warnings };
}

/**
 * Publishes a contact in review. Only a moderator of its région who did not
 * write it. Conditional on the card as read, so two moderators cannot both decide.
 */
export async function publishContact(actor: Actor, id: string, audit?: Omit<NonNullable<StateChange['audit']>, 'actor'>): Promise<ContactDoc> {
  const contact = await loadContact(id);
  authorize(contactPolicy.moderate(actor, contact), 'Vous ne pouvez pas décider de ce contact.');
  if (!agentWillBeInformed(contact)) throw conflict(MESSAGES.agentNotInformed, 'agent_not_informed');
  const now = new Date();
  const verification = { at: now, by: new Types.ObjectId(actor.id), method: 'moderator' };
  const { after } = await changeState(contact, {
    by: 'moderator',
    action: 'publish',
    set: {
      publishedAt: now,
      lastVerifiedAt: now,
      'verified.phone': verification,
      'verified.agent': verification,
      'verified.email': verification,
      'verified.hours': verification,
    },
    ...(audit ? { audit: { actor, ...audit } } : {}),
  });
  return after;
}

/** Applies a pending revision to its contact (moderator of the région, not its proposer). */
export async function approveRevision(actor: Actor, revisionId: string): Promise<ContactDoc> {
  const revision = Types.ObjectId.isValid(revisionId) ? await ContactRevision.findById(revisionId).lean<ContactRevisionDoc>() : null;
  if (!revision) throw notFound('Cette proposition de modification n’existe pas ou plus.');
  const contact = await loadContact(String(revision.contactId));
  authorize(contactPolicy.moderate(actor, contact) && String(revision.proposedBy) !== actor.id, 'Vous ne pouvez pas décider de cette modification.');
  const claimed = await ContactRevision.findOneAndUpdate(
    { _id: revision._id, status: 'pending' },
    { $set: { status: 'approved', decidedBy: new Types.ObjectId(actor.id), decidedAt: new Date() } },
    { returnDocument: 'after' },
  ).lean();
  if (!claimed) throw conflict('Cette proposition a déjà été traitée.', 'already_decided');
  // Conditional on the card as read; a card that left the directory meanwhile (archived, objected, erased) takes no edit.
  const updated =
    isVisibleState(contact.state) && contact.state !== 'restricted'
      ? await updateContact({ _id: contact._id, state: contact.state, revision: contact.revision }, { $set: { ...(revision.proposed as ContactValues) } })
      : undefined;
  if (!updated) {
    await ContactRevision.updateOne({ _id: revision._id, status: 'approved' }, { $set: { status: 'pending' }, $unset: { decidedBy: 1, decidedAt: 1 } });
    throw conflict('La fiche a changé depuis cette proposition (autre décision, signalement, opposition) : relisez-la avant de décider.', 'already_decided');
  }
  return updated;
}

/** Rejects a pending revision (moderator of the région, not its proposer). */
export async function rejectRevision(actor: Actor, revisionId: string): Promise<ContactRevisionDoc> {
  const revision = Types.ObjectId.isValid(revisionId) ? await ContactRevision.findById(revisionId).lean<ContactRevisionDoc>() : null;
  if (!revision) throw notFound('Cette proposition de modification n’existe pas ou plus.');
  const contact = await loadContact(String(revision.contactId));
  authorize(contactPolicy.moderate(actor, contact) && String(revision.proposedBy) !== actor.id, 'Vous ne pouvez pas décider de cette modification.');
  const updated = await ContactRevision.findOneAndUpdate(
    { _id: revision._id, status: 'pending' },
    { $set: { status: 'rejected', decidedBy: new Types.ObjectId(actor.id), decidedAt: new Date() } },
    { returnDocument: 'after' },
  ).lean<ContactRevisionDoc>();
  if (!updated) throw conflict('Cette proposition a déjà été traitée.', 'already_decided');
  return updated;
}

/** A moderator's decision on a contact's state (docs/contact-lifecycle.md). */
export type ModeratorAction = 'request_changes' | 'reject' | 'merge' | 'archive' | 'restore' | 'verify';

/**
 * A moderator's state change on a contact (request changes, reject, merge,
 * archive, restore, confirm still valid): the lifecycle table decides whether
 * it is allowed from the state read, and the write is conditional on that
 * read, so two decisions never both apply and a signal never undoes one.
 * The audit event is appended once the write happened.
 */
export async function moderateContact(
  actor: Actor,
  id: string,
  action: ModeratorAction,
  opts: { into?: string; audit?: Omit<NonNullable<StateChange['audit']>, 'actor'> } = {},
): Promise<{ before: ContactDoc; after: ContactDoc }> {
  const before = await loadContact(id);
  authorize(contactPolicy.moderate(actor, before), 'Vous ne pouvez pas décider de ce contact.');
  const now = new Date();
  const set: Record<string, unknown> = {};
  const published = action === 'restore' || action === 'verify';
  if (published) {
    set.phonesMasked = false;
    if (!before.publishedAt) set.publishedAt = now;
  }
  if (action === 'verify') {
    const v = { at: now, by: new Types.ObjectId(actor.id), method: 'moderator' };
    // A moderator's check also restarts the « numéro faux » calls count (signals/calls.service.ts).
    Object.assign(set, { lastVerifiedAt: now, callsCountFrom: now, 'verified.phone': v, 'verified.agent': v, 'verified.email': v, 'verified.hours': v });
  }
  if (action === 'merge') {
    const into = await loadContact(String(opts.into));
    if (into._id.equals(before._id))
      throw new AppError(422, 'merge_self', 'Une fiche ne peut pas être fusionnée avec elle-même.', { into: 'Choisissez une autre fiche.' });
    set.mergedInto = into._id;
  }
  return changeState(before, {
    by: 'moderator',
    action,
    set,
    ...(published ? { unset: { needsCheckSince: 1 } } : {}),
    ...(opts.audit ? { audit: { actor, ...opts.audit } } : {}),
  });
}

/**
 * Applies a moderator's corrections to a contact in review (same screening and
 * normalisation as members' input). Returns the field-level diff.
 */
export async function editAsModerator(actor: Actor, id: string, input: SuggestEditInput) {
  const contact = await loadContact(id);
  authorize(contactPolicy.moderate(actor, contact), 'Vous ne pouvez pas décider de ce contact.');
  const agency = await loadAgencyFor(actor, String(contact.agencyId));
  const prepared = prepareContact(input, agency);
  const changes = diffContact(contact, prepared.values);
  if (changes.length) {
    const res = await updateContact({ _id: contact._id, revision: contact.revision }, { $set: { ...prepared.values } });
    if (!res) throw conflict('Ce contact a été modifié entre-temps : rechargez la page.', 'already_decided');
  }
  return changes;
}

/**
 * Erases what identifies the agent after an upheld objection: name, e-mail,
 * direct and mobile lines go; service-level lines stay. The removed numbers
 * and e-mail join the suppression list so the card cannot be created again.
 * A card that was published before the objection stays with its service lines;
 * any other (a withdrawn draft, an archived card) is erased: upholding an
 * objection never publishes what no moderator published.
 */
export async function eraseAgentData(
  actor: Actor,
  id: string,
  audit?: Omit<NonNullable<StateChange['audit']>, 'actor'>,
): Promise<{ before: ContactDoc; after: ContactDoc }> {
  const before = await loadContact(id);
  authorize(contactPolicy.moderate(actor, before), 'Vous ne pouvez pas décider de ce contact.');
  const personal = before.phones.filter((p) => PERSONAL_PHONE_KINDS.includes(p.kind));
  const kept = before.phones.filter((p) => !PERSONAL_PHONE_KINDS.includes(p.kind));
  await suppress(
    personal.map((p) => p.e164),
    before.email ?? undefined,
    'objection',
  );
  return changeState(before, {
    by: 'moderator',
    action: 'erase',
    to: kept.length && before.state === 'restricted' ? 'published' : 'erased',
    set: { kind: 'service_line', phones: kept, phoneKeys: kept.map((p) => p.e164) },
    unset: { agentFirstName: 1, agentLastName: 1, agentKey: 1, email: 1, agentInformedAt: 1, objectedAt: 1 },
    ...(audit ? { audit: { actor, ...audit } } : {}),
  });
}

/**
 * The effect of a confirmed objection on one card, as the listed agent's own
 * right (no actor): a card members see is restricted at once (name and direct
 * lines hidden everywhere); a card still in review is withdrawn from review,
 * never made visible. Idempotent: a card already restricted by an objection
 * stays so. Returns undefined for a card in no state an objection acts on.
 */
export async function applyObjection(id: Types.ObjectId, now = new Date()): Promise<{ before: ContactDoc; after: ContactDoc } | undefined> {
  const contact = await Contact.findById(id).lean<ContactDoc>();
  if (!contact) return undefined;
  if (contact.objectedAt && ['restricted', 'rejected'].includes(contact.state)) return { before: contact, after: contact };
  const action = isInReview(contact.state) ? 'withdraw' : 'restrict';
  if (!findTransition('objection', action, contact.state)) return undefined;
  return changeState(contact, {
    by: 'objection',
    action,
    set: { objectedAt: now },
    audit: { actor: undefined, action: action === 'withdraw' ? 'objection.withdraw' : 'objection.confirm' },
  });
}

/**
 * The listed agent's « still right », from their own page (docs/agents.md):
 * every part of the card verified now, by the agent; a computed needs_check
 * gives way. Conditional on the card as read (changeState).
 */
export async function confirmByAgent(contact: ContactDoc, now = new Date()): Promise<ContactDoc> {
  const v = { at: now, method: 'agent' };
  const { after } = await changeState(contact, {
    by: 'agent',
    action: 'confirm',
    set: { lastVerifiedAt: now, agentConfirmedAt: now, 'verified.phone': v, 'verified.agent': v, 'verified.email': v, 'verified.hours': v },
    unset: { needsCheckSince: 1 },
    audit: { actor: undefined, actorName: AGENT_ACTOR_NAME, action: 'agent.confirm' },
  });
  return after;
}

/** « Je change de poste »: the card needs a check; `reason` (screened by the caller) goes to the audit. */
export async function handOverByAgent(contact: ContactDoc, reason: string, now = new Date()): Promise<ContactDoc> {
  const { after } = await changeState(contact, {
    by: 'agent',
    action: 'hand_over',
    set: { needsCheckSince: contact.needsCheckSince ?? now },
    audit: { actor: undefined, actorName: AGENT_ACTOR_NAME, action: 'agent.hand_over', reason },
  });
  return after;
}

/**
 * The listed agent's correction: the same screening and normalisation as a
 * member's, kept as a pending revision for the région's moderators (one per
 * card: a second correction replaces the first). Returns undefined when
 * nothing differs from the card.
 */
export async function proposeAgentCorrection(contact: ContactDoc, input: AgentCorrectionInput): Promise<ContactRevisionDoc | undefined> {
  const agency = await findAgency(contact.agencyId);
  if (!agency) throw notFound(MESSAGES.notFound);
  const { note, ...fields } = input;
  // What the agent's form does not hold (topics, members' tips and accounts) stays as it is.
  const prepared = prepareContact(
    { ...fields, kind: 'agent', topics: contact.topics, tips: contact.tips ?? undefined, account: contact.account ?? undefined, note },
    agency,
  );
  const changes = diffContact(contact, prepared.values);
  if (!changes.length && !note) return undefined;
  const earlier = await findPendingRevision(contact._id, AGENT_PROPOSER);
  const revisionId = earlier?._id ?? new Types.ObjectId();
  if (!earlier) await addToSets([revisionsKey(contact._id, AGENT_PROPOSER)], revisionId);
  let revision: ContactRevisionDoc | undefined;
  await finishing('revision', revisionId, async () => {
    revision =
      (await ContactRevision.findOneAndUpdate(
        { _id: revisionId, status: 'pending' },
        {
          $set: { proposed: prepared.values, changes, baseRevision: contact.revision, note, screeningFlags: prepared.flags, region: contact.region },
          $setOnInsert: { contactId: contact._id, fromAgent: true, status: 'pending' },
        },
        { upsert: true, returnDocument: 'after' },
      ).lean<ContactRevisionDoc>()) ?? undefined;
    await enqueueEdit(revision!);
  });
  log.info({ contactId: String(contact._id), fields: changes.map((c) => c.field) }, 'agent correction proposed');
  return revision;
}

/** The agent left the confirmation campaigns for the card's current address (not a search field: no bump). */
export async function optOutOfCampaigns(contact: ContactDoc): Promise<void> {
  await Contact.updateOne({ _id: contact._id, email: contact.email }, { $set: { agentCampaignOptOut: contact.email } });
}

/** Marks that the listed agent received the information e-mail. */
export async function markAgentInformed(id: Types.ObjectId, at = new Date()): Promise<void> {
  await Contact.updateOne({ _id: id }, { $set: { agentInformedAt: at } });
}

/** A contact for the moderators of its région and admins (its history page); others get the 403 of another région. */
export async function getContactForModeration(actor: Actor, id: string): Promise<{ contact: ContactDoc; agency: AgencyDoc }> {
  const contact = await loadContact(id);
  authorize(contactPolicy.readHistory(actor, contact), 'Cette fiche concerne une autre région.');
  const agency = await findAgency(contact.agencyId);
  if (!agency) throw notFound(MESSAGES.notFound);
  return { contact, agency };
}

/**
 * Cards with their agencies, loaded by `_id` only (docs/data-access.md), for
 * pages that name cards they already hold ids of (the audit journal). The
 * caller has authorized the page; missing cards are left out.
 */
export async function contactsWithAgencies(ids: Array<Types.ObjectId | string>): Promise<Array<{ contact: ContactDoc; agency?: AgencyDoc }>> {
  const found = await contactsByIds(ids);
  const agencyIds = [...new Set(found.map((c) => String(c.agencyId)))].map((id) => new Types.ObjectId(id));
  const agencies = await agenciesByIds(agencyIds);
  const byId = new Map(agencies.map((a) => [String(a._id), a]));
  return found.map((contact) => ({ contact, agency: byId.get(String(contact.agencyId)) }));
}

/** The name of the agency a contact belongs to (for e-mails). */
export async function getContactAgencyName(contact: ContactDoc): Promise<string> {
  return (await findAgency(contact.agencyId))?.name ?? 'votre organisme';
}

/** A card by id, or undefined (an import checks whether a line's card was already written). */
export async function findContactById(id: Types.ObjectId): Promise<ContactDoc | undefined> {
  return (await Contact.findById(id).lean<ContactDoc>()) ?? undefined;
}

export { loadContact };
