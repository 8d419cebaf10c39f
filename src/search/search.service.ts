/**
 * Contact search for members: Meilisearch through the keep-alive pool, with
 * filters built from whitelisted codes only. When Meilisearch is away, a
 * limited database query on agency name, type and département answers
 * instead and the result says it is partial. Zero-result queries are kept
 * for moderators once they pass the confidentiality screen.
 */
import { logger } from '../core/logger';
import { stableId } from '../core/stable-id';
import { type Actor, authorize, isActive } from '../core/policy';
import { escapeRegex, foldKey } from '../core/text';
import { screenText } from '../screening/screening';
import { type ContactSearchDocument, contactsIndex, INDEXED_STATES, toSearchDocument } from './contact-index';
import { rawSearch } from './meili-client';
import { SearchMiss } from './search-miss.model';
import { agenciesInScope, contactsOfAgencies } from './degraded-reads';
import type { SearchQuery } from './search.schemas';
import { isDuplicateKey } from '../core/db';

const log = logger('search');
export const HITS_PER_PAGE = 20;
export const HIGHLIGHT = { pre: '\uE000', post: '\uE001' };
const FACETS = ['region', 'departement', 'agencyTypeCode', 'topics'] as const;

export type Facets = Record<(typeof FACETS)[number], Record<string, number>>;

export interface SearchHit extends ContactSearchDocument {
  _formatted?: Partial<Record<'agencyName' | 'agentName' | 'function' | 'service', string>>;
}

export interface SearchResult {
  query: string;
  total: number;
  page: number;
  totalPages: number;
  hits: SearchHit[];
  facets: Facets;
  degraded: boolean;
  /** The filters actually applied (the member's département by default). */
  scope: { region?: string; departement?: string; type?: string; thematique?: string };
}

interface MeiliResponse {
  hits: SearchHit[];
  totalHits: number;
  totalPages: number;
  page: number;
  facetDistribution?: Partial<Facets>;
}

/** Applies the default scope: the member's own département unless the query says otherwise. */
export function resolveScope(actor: Actor, query: SearchQuery, raw: Record<string, unknown>) {
  const explicit = 'departement' in raw || 'region' in raw;
  return {
    region: query.region || undefined,
    departement: explicit ? query.departement || undefined : actor.departement,
    type: query.type || undefined,
    thematique: query.thematique || undefined,
  };
}

function filterOf(scope: SearchResult['scope']): string[] {
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

/** Searches contacts for an active member. Never throws because Meilisearch is down. */
export async function searchContacts(actor: Actor, query: SearchQuery, raw: Record<string, unknown> = {}): Promise<SearchResult> {
  authorize(isActive(actor), 'La recherche est réservée aux membres validés.');
  const scope = resolveScope(actor, query, raw);
  const q = query.q.trim();
  let result: SearchResult;
  try {
    const res = await rawSearch<MeiliResponse>(contactsIndex.name, {
      q,
      filter: filterOf(scope),
      facets: [...FACETS],
      sort: SORT[query.tri],
      page: query.page,
      hitsPerPage: HITS_PER_PAGE,
      attributesToHighlight: ['agencyName', 'agentName', 'function', 'service'],
      highlightPreTag: HIGHLIGHT.pre,
      highlightPostTag: HIGHLIGHT.post,
      locales: ['fra'],
    });
    result = {
      query: q,
      total: res.totalHits,
      page: res.page,
      totalPages: res.totalPages,
      hits: res.hits,
      facets: { region: {}, departement: {}, agencyTypeCode: {}, topics: {}, ...res.facetDistribution },
      degraded: false,
      scope,
    };
  } catch (err) {
    log.warn({ err: { message: (err as Error).message } }, 'search engine unavailable, degraded search');
    result = await degradedSearch(q, scope);
  }
  if (!result.total && q && !result.degraded) await recordMiss(q, actor, scope).catch((err) => log.warn({ err }, 'search miss not recorded'));
  return result;
}


/**
 * The fallback: agencies whose name holds the typed words, filtered by type
 * and département, and their visible contacts (at most one page).
 */
export async function degradedSearch(q: string, scope: SearchResult['scope']): Promise<SearchResult> {
  const words = foldKey(q).split(' ').filter((w) => w.length > 1).slice(0, 5);
  let agencies = (await agenciesInScope(scope)).filter((a) => !scope.type || a.typeCode === scope.type);
  const matching = agencies.filter((a) => words.some((w) => new RegExp(`\\b${escapeRegex(w)}`).test(a.nameKey)));
  if (words.length) agencies = matching;
  const byId = new Map(agencies.slice(0, 200).map((a) => [String(a._id), a]));
  const contacts = byId.size ? await contactsOfAgencies([...byId.values()].map((a) => a._id)) : [];
  const hits = contacts
    .filter((c) => (INDEXED_STATES as readonly string[]).includes(c.state) && (!scope.thematique || c.topics.includes(scope.thematique)))
    .map((c) => toSearchDocument(c, byId.get(String(c.agencyId))!))
    .filter((d): d is ContactSearchDocument => !!d)
    .sort((a, b) => b.rankScore - a.rankScore)
    .slice(0, HITS_PER_PAGE);
  return { query: q, total: hits.length, page: 1, totalPages: hits.length ? 1 : 0, hits, facets: { region: {}, departement: {}, agencyTypeCode: {}, topics: {} }, degraded: true, scope };
}

/** Keeps a zero-result query unless it holds anything the confidentiality screen objects to. */
async function recordMiss(q: string, actor: Actor, scope: SearchResult['scope']): Promise<void> {
  const screened = screenText({ q });
  if (screened.blocked.length || screened.flagged.length) return;
  const key = foldKey(q).slice(0, 200);
  if (!key) return;
  const region = scope.region ?? actor.region;
  // One document per (région, query), with an id computed from the pair: the upsert is an `_id` lookup.
  await SearchMiss.updateOne(
    { _id: stableId('search-miss', region ?? '', key) },
    { $inc: { count: 1 }, $set: { lastAt: new Date(), query: q.slice(0, 200), departement: scope.departement ?? actor.departement }, $setOnInsert: { key, region } },
    { upsert: true },
  ).catch((err) => {
    if (!isDuplicateKey(err)) throw err;
  });
}
