/** Contact documents → what pages, cards and vCards need; hides what the viewer may not see. */
import type { AgencyDoc } from '../agencies/agency.model';
import { formatLongDate, relativeFromNow } from '../core/dates';
import type { Actor } from '../core/policy';
import { getAgencyType, getTopic, listTopics, listTopicsForAgencyType } from '../reference/catalog';
import { getDepartement } from '../reference/territories';
import type { AgentInformed, ContactDoc, PhoneKind } from './contact.model';
import type { ContactRevisionDoc } from './contact-revision.model';
import { agentConfirmedLast, type ContactState, PERSONAL_PHONE_KINDS, STATE_LABELS } from './contact-states';
import { contactPolicy, contactPolicyMap } from './contacts.policy';
import { formatForDisplay, toTelHref } from './phone';
import { reachedLine, shownCount, usefulness } from '../signals/signals.presenter';
import { escapeText, serializeVCard, structured, type VCardProperty } from './vcard';

export const PHONE_KIND_LABELS: Record<PhoneKind, string> = {
  direct: 'Ligne directe',
  mobile: 'Mobile professionnel',
  switchboard: 'Standard',
  service: 'Ligne du service',
};

export function presentAgencySummary(agency: AgencyDoc) {
  return {
    id: String(agency._id),
    name: agency.name,
    typeLabel: getAgencyType(agency.typeCode)?.label ?? agency.typeCode,
    typeCode: agency.typeCode,
    commune: agency.commune,
    postcode: agency.postcode,
    departement: agency.departement,
    departementName: getDepartement(agency.departement)?.name ?? agency.departement,
    switchboard: agency.switchboard ? { display: formatForDisplay(agency.switchboard), href: toTelHref(agency.switchboard) } : undefined,
    website: agency.website,
    /** A new agency not approved yet: only its creator and the région's moderators see it. */
    inReview: agency.status === 'pending' || agency.status === 'rejected',
  };
}

/** `minVotesShown`: counts of votes below it are left out (settings/thresholds.ts). */
export function presentContact(contact: ContactDoc, agency: AgencyDoc, actor: Actor, opts: { pendingRevision?: ContactRevisionDoc; minVotesShown?: number } = {}) {
  const personal = contactPolicy.seePersonalDetails(actor, contact);
  const name = contact.kind === 'agent' && personal ? [contact.agentFirstName, contact.agentLastName].filter(Boolean).join(' ') : undefined;
  const phones = contact.phones
    .filter((p) => personal || !PERSONAL_PHONE_KINDS.includes(p.kind))
    .filter(() => !contact.phonesMasked)
    .map((p) => ({
      display: formatForDisplay(p.e164),
      href: toTelHref(p.e164, p.extension ?? undefined),
      e164: p.e164,
      extension: p.extension,
      kindLabel: PHONE_KIND_LABELS[p.kind as PhoneKind] ?? p.kind,
    }));
  const agentConfirmed = agentConfirmedLast(contact);
  return {
    id: String(contact._id),
    agency: presentAgencySummary(agency),
    isAgent: contact.kind === 'agent',
    name,
    title: name || contact.service || contact.function || 'Ligne du service',
    function: contact.function,
    service: contact.service,
    phones,
    hiddenPhones: contact.phonesMasked ? 0 : contact.phones.length - phones.length,
    phonesMasked: !!contact.phonesMasked,
    email: personal ? contact.email : undefined,
    hours: contact.hours,
    tips: contact.tips,
    account: contact.account,
    topics: contact.topics.map((code) => ({ code, label: getTopic(code)?.label ?? code })),
    state: contact.state,
    stateLabel: STATE_LABELS[contact.state as ContactState] ?? contact.state,
    inReview: ['pending', 'changes_requested'].includes(contact.state),
    needsCheck: contact.state === 'needs_check',
    restricted: contact.state === 'restricted',
    // The agent's own confirmation is the strongest: it is named as such while it is the latest check.
    freshness:
      agentConfirmed
        ? `Confirmé par l’agent le ${formatLongDate(contact.agentConfirmedAt!)}`
        : contact.lastVerifiedAt
          ? `Vérifié ${relativeFromNow(contact.lastVerifiedAt)}`
          : 'Pas encore vérifié',
    verifiedAt: agentConfirmed ? undefined : contact.lastVerifiedAt,
    confirmations: shownCount(contact.counters?.confirmations ?? 0, opts.minVotesShown),
    reached: reachedLine(contact.counters?.reachedMonth ?? 0),
    usefulness: usefulness(contact.counters?.helpful ?? 0, contact.counters?.notHelpful ?? 0, opts.minVotesShown),
    pendingRevision: opts.pendingRevision ? { createdAt: opts.pendingRevision.createdAt, fields: opts.pendingRevision.changes.map((c) => c.field) } : undefined,
    can: contactPolicyMap(actor, contact),
  };
}

export type ContactView = ReturnType<typeof presentContact>;

/** How the author says a named agent without e-mail is informed (contact.model AGENT_INFORMED), for moderators. */
export const AGENT_INFORMED_LABELS: Record<AgentInformed, string> = {
  consent: 'l’agent a donné son accord à l’auteur',
  will_inform: 'l’auteur lui transmet le texte d’information',
};

/** What moderators read about the agent's information: the e-mail sent, the author's answer, or nothing yet. */
export function agentInformation(contact: Pick<ContactDoc, 'kind' | 'email' | 'agentInformed' | 'agentInformedAt'>): string | undefined {
  if (contact.kind !== 'agent') return undefined;
  const told = contact.agentInformed ? AGENT_INFORMED_LABELS[contact.agentInformed as AgentInformed] : undefined;
  if (contact.agentInformedAt) return `agent informé par e-mail le ${formatLongDate(contact.agentInformedAt)}${told ? ` ; selon l’auteur, ${told}` : ''}`;
  if (contact.email) return `l’agent recevra l’e-mail d’information à la publication${told ? ` ; selon l’auteur, ${told}` : ''}`;
  return told ? `sans e-mail : selon l’auteur, ${told}` : 'sans e-mail ni réponse de l’auteur sur l’information de l’agent : la fiche ne peut pas être publiée';
}

/** The values the edit form starts from. */
export function contactFormValues(contact: ContactDoc) {
  const [p1, p2] = contact.phones;
  return {
    kind: contact.kind,
    agentFirstName: contact.agentFirstName ?? '',
    agentLastName: contact.agentLastName ?? '',
    function: contact.function ?? '',
    service: contact.service ?? '',
    phone1: p1 ? formatForDisplay(p1.e164) : '',
    phone1Kind: p1?.kind ?? 'direct',
    phone1Extension: p1?.extension ?? '',
    phone2: p2 ? formatForDisplay(p2.e164) : '',
    phone2Kind: p2?.kind ?? 'direct',
    phone2Extension: p2?.extension ?? '',
    email: contact.email ?? '',
    hours: contact.hours ?? '',
    tips: contact.tips ?? '',
    topics: contact.topics,
    account: contact.account ?? '',
    agentInformed: contact.agentInformed ?? '',
  };
}

/** A vCard 3.0 of what the viewer may see (RFC 2426; read by phones and Outlook): every value escaped, lines folded (contacts/vcard.ts). */
export function toVCard(view: ContactView): string {
  const props: VCardProperty[] = [];
  if (view.name) {
    const [first, ...rest] = view.name.split(' ');
    props.push({ name: 'FN', value: escapeText(view.name) }, { name: 'N', value: structured(rest.join(' '), first, '', '', '') });
  } else {
    props.push({ name: 'FN', value: escapeText(`${view.agency.name} – ${view.title}`) }, { name: 'N', value: structured('', '', '', '', '') });
  }
  props.push({ name: 'ORG', value: view.service ? structured(view.agency.name, view.service) : structured(view.agency.name) });
  if (view.function) props.push({ name: 'TITLE', value: escapeText(view.function) });
  // Numbers are E.164 and extensions digits (schema and model); the filter keeps a stray value from ever reaching the card.
  const digits = (s: string) => s.replace(/[^\d+]/g, '');
  for (const p of view.phones) props.push({ name: 'TEL', params: 'TYPE=WORK,VOICE', value: `${digits(p.e164)}${p.extension ? `;ext=${digits(p.extension)}` : ''}` });
  if (view.email) props.push({ name: 'EMAIL', params: 'TYPE=WORK', value: escapeText(view.email) });
  const note = [view.hours && `Horaires : ${view.hours}`, view.tips && `Comment le joindre : ${view.tips}`].filter(Boolean).join('\n');
  if (note) props.push({ name: 'NOTE', value: escapeText(note) });
  return serializeVCard(props);
}

/** How many topics the add and edit forms show before « Autres thèmes ». */
const USUAL_TOPIC_COUNT = 6;

/**
 * The topic checkboxes of the contact form, folded: the agency type's usual topics first
 * (the most widely used ones when the type is not known yet), the others behind a
 * disclosure that opens by itself when one of them is ticked. Each box carries the
 * agency types it is usual for, so app.js can refold when the organisme changes.
 */
export function presentTopicChoice(agencyType: string | undefined, selected: unknown) {
  const ticked = new Set((Array.isArray(selected) ? selected : selected ? [selected] : []).map(String));
  const all = listTopics();
  const usualCodes = new Set(
    (agencyType ? listTopicsForAgencyType(agencyType) : [...all].sort((a, b) => b.usualAgencyTypes.length - a.usualAgencyTypes.length))
      .slice(0, USUAL_TOPIC_COUNT)
      .map((t) => t.code),
  );
  const box = (t: (typeof all)[number]) => ({
    order: all.indexOf(t),
    code: t.code,
    label: t.label,
    types: t.anyAgencyType ? '*' : t.usualAgencyTypes.join(' '),
    checked: ticked.has(t.code),
  });
  const others = all.filter((t) => !usualCodes.has(t.code)).map(box);
  return { usual: all.filter((t) => usualCodes.has(t.code)).map(box), others, openOthers: others.some((t) => t.checked) };
}
