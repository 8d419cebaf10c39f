/**
 * The `contacts` and `agencies` search indexes: settings (applied at start
 * and by reindex) and the documents built from the database. The contacts
 * index holds only what members may see: published and needs_check contacts
 * whole, restricted ones without the agent's name, direct lines or e-mail.
 */
import type { AgencyDoc } from '../agencies/agency.model';
import type { ContactDoc } from '../contacts/contact.model';
import { getAgencyType, getTopic } from '../reference/catalog';
import { getDepartement, getRegion } from '../reference/territories';
import { defineIndex } from './meili-client';
import { buildSynonyms, FRENCH_STOP_WORDS } from './synonyms';

import { agentConfirmedLast, INDEXED_STATES, PERSONAL_PHONE_KINDS } from '../contacts/contact-states';

export { INDEXED_STATES };

export interface ContactSearchDocument {
  id: string;
  agencyId: string;
  agencyName: string;
  agencyTypeCode: string;
  agencyTypeLabel: string;
  agencyAcronyms: string[];
  agentName?: string;
  function?: string;
  service?: string;
  topics: string[];
  topicLabels: string[];
  commune?: string;
  postcode?: string;
  departement: string;
  departementName: string;
  region: string;
  regionName: string;
  tips?: string;
  hours?: string;
  phones: Array<{ e164: string; kind: string; extension?: string }>;
  phonesMasked: boolean;
  state: string;
  rankScore: number;
  verifiedAt: number;
  /** The latest check is the listed agent's own confirmation (agents/agents.service.ts). */
  agentConfirmed?: boolean;
  confirmations: number;
  helpful: number;
  notHelpful: number;
  /** Distinct colleagues who reached the line in the last 30 days (refreshed with every signal and by the nightly rank pass). */
  reachedMonth: number;
}

export const contactsIndex = defineIndex({
  name: 'contacts',
  primaryKey: 'id',
  settings: {
    searchableAttributes: [
      'agencyName',
      'agencyTypeLabel',
      'agencyAcronyms',
      'agentName',
      'function',
      'service',
      'topicLabels',
      'commune',
      'departementName',
      'departement',
      'postcode',
      'tips',
    ],
    filterableAttributes: ['region', 'departement', 'agencyTypeCode', 'topics', 'state', 'agencyId'],
    sortableAttributes: ['rankScore', 'verifiedAt'],
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness', 'rankScore:desc'],
    localizedAttributes: [{ attributePatterns: ['*'], locales: ['fra'] }],
    stopWords: FRENCH_STOP_WORDS,
    synonyms: buildSynonyms(),
    typoTolerance: { enabled: true, disableOnNumbers: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
    faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits: 1000 },
  },
});

export const agenciesIndex = defineIndex({
  name: 'agencies',
  primaryKey: 'id',
  settings: {
    searchableAttributes: ['name', 'typeLabel', 'acronyms', 'commune', 'departementName', 'departement'],
    filterableAttributes: ['departement', 'region', 'typeCode'],
    localizedAttributes: [{ attributePatterns: ['*'], locales: ['fra'] }],
    stopWords: FRENCH_STOP_WORDS,
    synonyms: buildSynonyms(),
    typoTolerance: { enabled: true, disableOnNumbers: true },
  },
});

export const isIndexed = (state: string) => (INDEXED_STATES as readonly string[]).includes(state);

/** The search document of a contact, or undefined when it must not be in the index. */
export function toSearchDocument(c: ContactDoc, agency: AgencyDoc): ContactSearchDocument | undefined {
  if (!isIndexed(c.state) || agency.status !== 'active') return undefined;
  const restricted = c.state === 'restricted';
  const type = getAgencyType(agency.typeCode);
  const departement = getDepartement(c.departement);
  return {
    id: String(c._id),
    agencyId: String(agency._id),
    agencyName: agency.name,
    agencyTypeCode: agency.typeCode,
    agencyTypeLabel: type?.label ?? agency.typeCode,
    agencyAcronyms: type ? [type.shortLabel, ...type.acronyms] : [],
    agentName: !restricted && c.kind === 'agent' ? [c.agentFirstName, c.agentLastName].filter(Boolean).join(' ') || undefined : undefined,
    function: c.function ?? undefined,
    service: c.service ?? undefined,
    topics: c.topics,
    topicLabels: c.topics.map((t) => getTopic(t)?.label ?? t),
    commune: agency.commune ?? undefined,
    postcode: agency.postcode ?? undefined,
    departement: c.departement,
    departementName: departement?.name ?? c.departement,
    region: c.region,
    regionName: getRegion(c.region)?.name ?? c.region,
    tips: c.tips ?? undefined,
    hours: c.hours ?? undefined,
    phonesMasked: !!c.phonesMasked,
    phones: c.phones
      .filter(() => !c.phonesMasked)
      .filter((p) => !restricted || !PERSONAL_PHONE_KINDS.includes(p.kind))
      .map((p) => ({ e164: p.e164, kind: p.kind, ...(p.extension ? { extension: p.extension } : {}) })),
    state: c.state,
    rankScore: c.rankScore ?? 0,
    verifiedAt: c.lastVerifiedAt ? Math.floor(new Date(c.lastVerifiedAt).getTime() / 1000) : 0,
    agentConfirmed: agentConfirmedLast(c),
    confirmations: c.counters?.confirmations ?? 0,
    helpful: c.counters?.helpful ?? 0,
    notHelpful: c.counters?.notHelpful ?? 0,
    reachedMonth: c.counters?.reachedMonth ?? 0,
  };
}

export interface AgencySearchDocument {
  id: string;
  name: string;
  typeCode: string;
  typeLabel: string;
  acronyms: string[];
  commune?: string;
  departement: string;
  departementName: string;
  region: string;
}

export function toAgencyDocument(a: AgencyDoc): AgencySearchDocument | undefined {
  if (a.status !== 'active') return undefined;
  const type = getAgencyType(a.typeCode);
  return {
    id: String(a._id),
    name: a.name,
    typeCode: a.typeCode,
    typeLabel: type?.label ?? a.typeCode,
    acronyms: type ? [type.shortLabel, ...type.acronyms] : [],
    commune: a.commune ?? undefined,
    departement: a.departement,
    departementName: getDepartement(a.departement)?.name ?? a.departement,
    region: a.region,
  };
}
