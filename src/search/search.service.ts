/**
 * Contact search for members: Meilisearch through the keep-alive pool, with
 * filters built from whitelisted codes only. The query is read first
 * (query-understanding.ts): a phone number is looked up among the cards that
 * carry it; a place named in the text becomes the zone unless the member chose
 * one. A zone with no result gives way to the next wider one. When
 * Meilisearch is away, a limited database query on agency name, type and
 * département answers instead and the result says it is partial. Queries
 * that find nothing anywhere are kept for moderators once they pass the
 * confidentiality screen. How and why: docs/search.md.
 */
import { logger } from '../core/logger';
import { stableId } from '../core/stable-id';
import { type Actor, authorize, isActive } from '../core/policy';
import { escapeRegex, foldKey } from '../core/text';
import { getDepartement, listDepartements } from '../reference/territories';
import { screenText } from '../screening/screening';
import { getThresholds } from '../settings/thresholds';
import type { ContactSearchDocument } from './contact-index';
import { contactsIndex } from './contact-index';
import { searchIndex } from './meili-client';
import { contactsByIds } from '../contacts/contact-store';
import { documentsWithNumber, visibleDocuments } from './number-reads';
import { markedContacts } from './search-outbox';
import { type Place, understandQuery, type UnderstoodQuery } from './query-understanding';
import { SearchMiss } from './search-miss.model';
import { agenciesInScope, contactsOfAgencies } from './degraded-reads';
import type { SearchQuery } from './search.schemas';
import { isDuplicateKey } from '../core/db';

const log = logger('search');
export const HITS_PER_PAGE = 20;
export const HIGHLIGHT = { pre: '\uE000', post: '\uE001' };
const FACETS = ['region', 'departement', 'agencyTypeCode', 'topics'] as const;
/** Most cards a number look-up shows (one page). */
const NUMBER_HITS = 50;

export type Facets = Record<(typeof FACETS)[number], Record<string, number>>;

export interface SearchHit extends ContactSearchDocument {
  _formatted?: Partial<Record<'agencyName' | 'agentName' | 'function' | 'service', string>>;
}

/** How the zone was chosen: the member's own département, a place in the query, the member's filter, or wider after nothing. */
export type ScopeReason = 'default' | 'query' | 'explicit' | 'widened';

export interface Zone {
  region?: string;
  departement?: string;
}

export interface Scope extends Zone {
  type?: string;
  thematique?: string;
  reason: ScopeReason;
  /** The place read from the query, when it chose the zone (also kept when that zone was widened). */
  place?: Place;
  /** When widened: the zone that had no result, and how it had been chosen. */
  emptyIn?: Zone & { reason: Exclude<ScopeReason, 'widened'> };
}

export interface SearchResult {
  query: string;
  total: number;
  page: number;
  totalPages: number;
  hits: SearchHit[];
  facets: Facets;
  degraded: boolean;
  /** The filters actually applied and how the zone was chosen. */
  scope: Scope;
  /** Set when the query was a phone number: every card carrying it, wherever it is. */
  number?: { e164: string; display: string };
  /** Counts (confirmations, votes) are shown from this many (admin threshold `minVotesShown`). */
  trustThreshold: number;
}

interface MeiliResponse {
  hits: SearchHit[];
  totalHits: number;
  totalPages: number;
  page: number;
  facetDistribution?: Partial<Facets>;
}

const NO_FACETS = (): Facets => ({ region: {}, departement: {}, agencyTypeCode: {}, topics: {} });

/**
 * The zone: the member's filter when the request names one (even empty, for
 * all of France), else the place the query names, else the member's own
 * département.
 */
export function resolveScope(actor: Actor, query: SearchQuery, raw: Record<string, unknown>, place?: Place): Scope {
  const filters = { type: query.type || undefined, thematique: query.thematique || undefined };
  if ('departement' in raw || 'region' in raw) {
    return { region: query.region || undefined, departement: query.departement || undefined, ...filters, reason: 'explicit' };
  }
  if (place) {
    return place.kind === 'region'
      ? { region: place.region, ...filters, reason: 'query', place }
      : { departement: place.departement, ...filters, reason: 'query', place };
  }
  return { departement: actor.departement, ...filters, reason: 'default' };
}

/** The zones to try, narrowest first, when a zone has nothing: its région (when it has several départements), then all of France. */
export function widerZones(zone: Zone): Zone[] {
  if (zone.departement) {
    const region = getDepartement(zone.departement)?.regionCode;
    return region && listDepartements(region).length > 1 ? [{ region }, {}] : [{}];
  }
  return zone.region ? [{}] : [];
}

function filterOf(scope: Zone & { type?: string; thematique?: string }): string[] {
  // Every value here passed a whitelist of reference codes (search.schemas.ts).
  const f: string[] = [];
  if (scope.region) f.push(`region = "${scope.region}"`);
  if (scope.departement) f.push(`departement = "${scope.departement}"`);
  if (scope.type) f.push(`agencyTypeCode = "${scope.type}"`);
  if (scope.thematique) f.push(`topics = "${scope.thematique}"`);
  return f;
}

const SORT: Record<SearchQuery['tri'], string[] | undefined> = {
  pertinence: undefined,
  utilite: ['rankScore:desc'],
  fraicheur: ['verifiedAt:desc'],
};

/**
 * The fields the result page and the JSON answer read (search.presenter.ts). The
 * engine then sends those only, and its `_formatted` copy of each hit holds
 * those only too, instead of every field of the document twice.
 */
export const SEARCH_HIT_FIELDS = [
  'id', 'agencyId', 'agencyName', 'agencyTypeCode', 'commune', 'agentName', 'function', 'service', 'topics', 'departement', 'region',
  'phones', 'phonesMasked', 'state', 'verifiedAt', 'agentConfirmed', 'confirmations', 'helpful', 'notHelpful', 'reachedMonth',
] as const satisfies ReadonlyArray<keyof SearchHit>;

async function engineSearch(text: string, scope: Scope, query: SearchQuery) {
  const res = await searchIndex<MeiliResponse>(contactsIndex.name, {
    q: text,
    filter: filterOf(scope),
    facets: [...FACETS],
    sort: SORT[query.tri],
    page: query.page,
    hitsPerPage: HITS_PER_PAGE,
    attributesToRetrieve: [...SEARCH_HIT_FIELDS],
    attributesToHighlight: ['agencyName', 'agentName', 'function', 'service'],
    highlightPreTag: HIGHLIGHT.pre,
    highlightPostTag: HIGHLIGHT.post,
    locales: ['fra'],
  });
  const { hits, dropped } = await withFreshHits(res.hits);
  return { total: Math.max(0, res.totalHits - dropped), page: res.page, totalPages: res.totalPages, hits, facets: { ...NO_FACETS(), ...res.facetDistribution } };
}

/**
 * The engine may lag the database by a sync (a slow or frozen Meilisearch, a
 * busy worker): a hit whose card still has an outbox mark is read again from
 * the database and shaped as the index would shape it now. A card members may
 * no longer see (an objection, a restriction, an archive) leaves the page
 * even before the engine hears of it; a changed one shows its new text,
 * without the engine's highlights of the old one (docs/search.md, « Read-side
 * guard »). The outbox's keys are read at most every 250 ms (search-outbox.ts
 * markedContacts); the database is read again only for marked hits.
 */
export async function withFreshHits(hits: SearchHit[]): Promise<{ hits: SearchHit[]; dropped: number }> {
  if (!hits.length) return { hits, dropped: 0 };
  const marked = await markedContacts(hits.map((h) => h.id));
  if (!marked.size) return { hits, dropped: 0 };
  const fresh = new Map((await visibleDocuments(await contactsByIds([...marked]))).map((d) => [d.id, d]));
  const kept = hits.flatMap((h): SearchHit[] => {
    if (!marked.has(h.id)) return [h];
    const doc = fresh.get(h.id);
    return doc ? [doc] : [];
  });
  return { hits: kept, dropped: hits.length - kept.length };
}

/** Every visible card carrying the number, in all of France (the type and topic filters still apply). */
async function numberSearch(q: string, phone: NonNullable<UnderstoodQuery['phone']>, scope: Scope): Promise<Omit<SearchResult, 'trustThreshold'>> {
  const hits = (await documentsWithNumber(phone.e164))
    .filter((d) => (!scope.type || d.agencyTypeCode === scope.type) && (!scope.thematique || d.topics.includes(scope.thematique)))
    .slice(0, NUMBER_HITS);
  const zoneless = { type: scope.type, thematique: scope.thematique, reason: 'query' as const };
  return { query: q, total: hits.length, page: 1, totalPages: hits.length ? 1 : 0, hits, facets: NO_FACETS(), degraded: false, scope: zoneless, number: phone };
}

/** Searches contacts for an active member. Never throws because Meilisearch is down. */
export async function searchContacts(actor: Actor, query: SearchQuery, raw: Record<string, unknown> = {}): Promise<SearchResult> {
  authorize(isActive(actor), 'La recherche est réservée aux membres validés.');
  const q = query.q.trim();
  const understood = understandQuery(q, { departement: actor.departement, region: actor.region });
  const scope = resolveScope(actor, query, raw, understood.place);
  const trustThreshold = (await getThresholds()).minVotesShown;
  if (understood.phone) return { ...(await numberSearch(q, understood.phone, scope)), trustThreshold };
  // A zone the member chose is searched with the words as typed: the place words then only rank.
  const text = scope.reason === 'explicit' ? q : understood.text;
  let result: SearchResult;
  try {
    result = { query: q, ...(await engineSearch(text, scope, query)), degraded: false, scope, trustThreshold };
    if (!result.total && query.page === 1) {
      for (const zone of widerZones(scope)) {
        const wider: Scope = {
          ...scope,
          region: zone.region,
          departement: zone.departement,
          reason: 'widened',
          emptyIn: { region: scope.region, departement: scope.departement, reason: scope.reason as Exclude<ScopeReason, 'widened'> },
        };
        const found = await engineSearch(text, wider, query);
        if (found.total) {
          result = { ...result, ...found, scope: wider };
          break;
        }
      }
    }
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'search engine unavailable, degraded search');
    result = { ...(await degradedSearch(q, scope)), trustThreshold };
  }
  // Only a query that found nothing at every zone tells moderators something is missing.
  if (!result.total && q && !result.degraded) await recordMiss(q, actor, scope).catch((err) => log.warn({ err }, 'search miss not recorded'));
  return result;
}

/**
 * The fallback: agencies whose name holds the typed words, filtered by type
 * and département, and their visible contacts (at most one page).
 */
export async function degradedSearch(q: string, scope: Scope): Promise<Omit<SearchResult, 'trustThreshold'>> {
  const words = foldKey(q)
    .split(' ')
    .filter((w) => w.length > 1)
    .slice(0, 5);
  let agencies = (await agenciesInScope(scope)).filter((a) => !scope.type || a.typeCode === scope.type);
  const matching = agencies.filter((a) => words.some((w) => new RegExp(`\\b${escapeRegex(w)}`).test(a.nameKey)));
  if (words.length) agencies = matching;
  const byId = new Map(agencies.slice(0, 200).map((a) => [String(a._id), a]));
  const contacts = byId.size ? await contactsOfAgencies([...byId.values()].map((a) => a._id)) : [];
  const hits = (
    await visibleDocuments(
      contacts.filter((c) => !scope.thematique || c.topics.includes(scope.thematique)),
      byId,
    )
  ).slice(0, HITS_PER_PAGE);
  return { query: q, total: hits.length, page: 1, totalPages: hits.length ? 1 : 0, hits, facets: NO_FACETS(), degraded: true, scope };
}

/** Keeps a zero-result query unless it holds anything the confidentiality screen objects to. */
async function recordMiss(q: string, actor: Actor, scope: Scope): Promise<void> {
  const screened = screenText({ q });
  if (screened.blocked.length || screened.flagged.length) return;
  const key = foldKey(q).slice(0, 200);
  if (!key) return;
  const region = scope.region ?? actor.region;
  // One document per (région, query), with an id computed from the pair: the upsert is an `_id` lookup.
  await SearchMiss.updateOne(
    { _id: stableId('search-miss', region ?? '', key) },
    {
      $inc: { count: 1 },
      $set: { lastAt: new Date(), query: q.slice(0, 200), departement: scope.departement ?? actor.departement },
      $setOnInsert: { key, region },
    },
    { upsert: true },
  ).catch((err) => {
    if (!isDuplicateKey(err)) throw err;
  });
}

/** How many indexed cards each département holds among those a Meilisearch filter keeps (the dashboard's coverage). */
export async function departementFacets(filter: string): Promise<Record<string, number>> {
  const res = await searchIndex<{ facetDistribution?: Record<string, Record<string, number>> }>(contactsIndex.name, { q: '', filter, facets: ['departement'], limit: 0 });
  return res.facetDistribution?.departement ?? {};
}

/** The most frequent searches that found nothing (in a région, or everywhere), most frequent first. */
export async function frequentMisses(region: string | undefined, limit: number): Promise<Array<{ query: string; region: string; count: number; lastAt: Date }>> {
  return SearchMiss.find(region ? { region } : {})
    .sort({ count: -1, lastAt: -1 })
    .limit(limit)
    .select({ query: 1, region: 1, count: 1, lastAt: 1 })
    .lean<Array<{ query: string; region: string; count: number; lastAt: Date }>>();
}

// The search engine's API to the other features: sync after writes, directory reads, health.
export { agencyContactIds, searchAgencyIds, visibleCountsInDepartement } from './directory-reads';
export { kickSearchSync, pushContactsNow } from './indexer';
export { searchHealthy } from './meili-client';
