/** Search results → result cards, facet links and the JSON answer. */
import { relativeFromNow } from '../core/dates';
import { plural } from '../core/plural';
import { callChoices, reachedLine } from '../signals/signals.presenter';
import { formatForDisplay, toTelHref } from '../contacts/phone';
import { PHONE_KIND_LABELS } from '../contacts/contacts.presenter';
import { getAgencyType, getTopic, listAgencyTypes } from '../reference/catalog';
import { getDepartement, getRegion } from '../reference/territories';
import type { SearchQuery } from './search.schemas';
import { HIGHLIGHT, type SearchHit, type SearchResult, type Zone } from './search.service';

/** Splits a highlighted string into escaped-by-template segments: never raw HTML. */
export function segments(formatted: string | undefined, plain: string | undefined): Array<{ text: string; mark: boolean }> {
  const source = formatted ?? plain ?? '';
  const out: Array<{ text: string; mark: boolean }> = [];
  for (const [i, part] of source.split(HIGHLIGHT.pre).entries()) {
    if (i === 0) {
      if (part) out.push({ text: part, mark: false });
      continue;
    }
    const [marked, rest] = part.split(HIGHLIGHT.post);
    if (marked) out.push({ text: marked, mark: true });
    if (rest) out.push({ text: rest, mark: false });
  }
  return out;
}

/** The trust line: « vérifié il y a 3 mois · confirmé par 4 collègues · utile à 7 »; counts appear from `threshold` on. */
export function trustLine(hit: Pick<SearchHit, 'verifiedAt' | 'agentConfirmed' | 'confirmations' | 'helpful' | 'notHelpful'>, threshold: number): string {
  const when = hit.verifiedAt ? relativeFromNow(new Date(hit.verifiedAt * 1000)) : undefined;
  const parts = [when ? `${hit.agentConfirmed ? 'confirmé par l’agent' : 'vérifié'} ${when}` : 'pas encore vérifié'];
  if (hit.confirmations >= threshold) parts.push(`confirmé par ${hit.confirmations} ${plural(hit.confirmations, 'collègue', 'collègues')}`);
  // Below the threshold a count could point at one colleague's vote: it stays hidden (docs/trust.md « Rate the line, never the person »).
  if (hit.helpful > 0 && hit.helpful + hit.notHelpful >= threshold) parts.push(`utile à ${hit.helpful}`);
  return parts.join(' · ');
}

export function presentHit(hit: SearchHit, trustThreshold = 3) {
  const title = hit.agentName ?? hit.service ?? hit.function ?? 'Ligne du service';
  const titleField = hit.agentName ? 'agentName' : hit.service ? 'service' : 'function';
  return {
    id: hit.id,
    agencyName: segments(hit._formatted?.agencyName, hit.agencyName),
    agencyId: hit.agencyId,
    commune: hit.commune,
    title: segments(hit._formatted?.[titleField as 'agentName'], title),
    plainTitle: title,
    subtitle: [hit.agentName ? hit.function : undefined, hit.agentName || hit.function !== title ? hit.service : undefined]
      .filter((v) => v && v !== title)
      .join(' · '),
    phones: hit.phones.map((p) => ({
      display: formatForDisplay(p.e164),
      href: toTelHref(p.e164, p.extension),
      e164: p.e164,
      extension: p.extension,
      kindLabel: PHONE_KIND_LABELS[p.kind as keyof typeof PHONE_KIND_LABELS] ?? p.kind,
    })),
    phonesMasked: hit.phonesMasked,
    needsCheck: hit.state === 'needs_check',
    restricted: hit.state === 'restricted',
    trust: trustLine(hit, trustThreshold),
    reached: reachedLine(hit.reachedMonth ?? 0),
  };
}

type Params = Partial<Record<'q' | 'region' | 'departement' | 'type' | 'thematique' | 'tri', string>>;

export const SEARCH_PATH = '/recherche';

/** /recherche?… with `changes` applied; `page` is dropped (back to page 1) unless given. */
export function searchUrl(current: Params, changes: Params & { page?: number }): string {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...current, ...changes })) if (v !== undefined) merged[k] = String(v);
  return `${SEARCH_PATH}?${new URLSearchParams(merged).toString()}`;
}

/**
 * The search a contact page links back to: `value` when it is a same-site path to the search page
 * (its query string kept), otherwise the search page itself. Never another site or page: the value
 * comes from the address bar (`?retour=`), so an absolute or protocol-relative URL is refused.
 */
export function searchReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 1000 || !/^\/recherche(?:\?|$)/.test(value) || /[\\\s]/.test(value)) return SEARCH_PATH;
  const url = new URL(value, 'http://same.invalid');
  return url.origin === 'http://same.invalid' && url.pathname === SEARCH_PATH ? `${url.pathname}${url.search}` : SEARCH_PATH;
}

/** The contact page's back link: to the search it came from, or to the search page. */
export function presentBackToSearch(value: unknown): { href: string; label: string; fromResults: boolean } {
  const href = searchReturnPath(value);
  const fromResults = href !== SEARCH_PATH;
  return { href, label: fromResults ? 'Retour aux résultats' : 'Rechercher un contact', fromResults };
}

/** A contact's page, remembering the search it was found from (`searchReturnPath` reads it back). */
export const contactUrl = (id: string, search: string) => `/contacts/${id}?${new URLSearchParams({ retour: search }).toString()}`;

function facetList(counts: Record<string, number>, label: (code: string) => string, param: keyof Params, current: Params, selected?: string) {
  return Object.entries(counts)
    .map(([code, count]) => ({
      code,
      count,
      label: label(code),
      selected: code === selected,
      url: searchUrl(current, { [param]: code === selected ? '' : code }),
    }))
    .sort((a, b) => Number(b.selected) - Number(a.selected) || b.count - a.count || a.label.localeCompare(b.label, 'fr'));
}

/** « Loire-Atlantique (44) », « Pays de la Loire », « toute la France ». */
export function zoneLabel(zone: Zone): string {
  const d = zone.departement ? getDepartement(zone.departement) : undefined;
  if (d) return `${d.name} (${d.code})`;
  return (zone.region && getRegion(zone.region)?.name) || 'toute la France';
}

// « à Paris », « en Gironde », « dans le Nord », « dans les Bouches-du-Rhône », « dans l'Ain ».
const AT = new Set(['75', '974', '976']);
const IN_BY_DE: Record<string, string> = { 'de ': 'en ', "d'": 'en ', 'du ': 'dans le ', 'de la ': 'en ', 'des ': 'dans les ', "de l'": "dans l'" };

/** The zone after a French preposition: « en Loire-Atlantique », « en Pays de la Loire », « dans toute la France ». */
export function inZone(zone: Zone): string {
  const d = zone.departement ? getDepartement(zone.departement) : undefined;
  if (d) return `${AT.has(d.code) ? 'à ' : (IN_BY_DE[d.nameWithDe.slice(0, d.nameWithDe.length - d.name.length)] ?? 'en ')}${d.name}`;
  const region = zone.region ? getRegion(zone.region) : undefined;
  return region ? `en ${region.name}` : 'dans toute la France';
}

/** The zone line above the results: where, how it was chosen, and the way back to the member's own département. */
function presentZone(result: SearchResult, current: Params, member: { departement: string }) {
  const s = result.scope;
  const own = getDepartement(member.departement);
  const back = {
    url: searchUrl({ q: result.query, type: s.type, thematique: s.thematique, tri: current.tri }, { departement: member.departement, region: '' }),
    label: own?.name ?? member.departement,
  };
  const chosenByQuery = s.reason === 'query' || (s.reason === 'widened' && s.emptyIn?.reason === 'query');
  const ownZone = !s.region && s.departement === member.departement;
  return {
    label: zoneLabel(s),
    reason: s.reason,
    number: result.number?.display,
    fromQuery: s.reason === 'query' && !result.number,
    /** A commune or postcode sets its département as zone: the member is told which word did. */
    placeWord: s.place && (s.place.kind === 'commune' || s.place.kind === 'postcode') ? s.place.label : undefined,
    widened: s.reason === 'widened' && s.emptyIn ? { emptyIn: inZone(s.emptyIn), foundIn: inZone(s), total: result.total } : undefined,
    back: chosenByQuery && !ownZone && !result.number ? back : undefined,
  };
}

/** Hidden fields of the search box: only a zone the member chose sticks to the next query; a place read from a query does not. */
function formFilters(result: SearchResult, query: SearchQuery) {
  const s = result.scope;
  const chosen = s.reason === 'explicit' ? s : s.reason === 'widened' && s.emptyIn?.reason === 'explicit' ? s.emptyIn : undefined;
  const hidden: Array<{ name: string; value: string }> = [];
  if (chosen) hidden.push({ name: 'departement', value: chosen.departement ?? '' }, { name: 'region', value: chosen.region ?? '' });
  if (query.type) hidden.push({ name: 'type', value: query.type });
  if (query.thematique) hidden.push({ name: 'thematique', value: query.thematique });
  return hidden;
}

/** `mine`: ids of the member's own list (« Mes contacts »), for each card's add or remove button. */
export function presentResults(result: SearchResult, query: SearchQuery, member: { departement: string; region: string }, mine: ReadonlySet<string> = new Set()) {
  const s = result.scope;
  const current: Params = { q: result.query, region: s.region ?? '', departement: s.departement ?? '', type: s.type, thematique: s.thematique, tri: query.tri };
  const memberRegion = getRegion(member.region);
  const back = searchUrl(current, result.page > 1 ? { page: result.page } : {});
  return {
    query: result.query,
    total: result.total,
    page: result.page,
    totalPages: result.totalPages,
    degraded: result.degraded,
    hits: result.hits.map((h) => ({ ...presentHit(h, result.trustThreshold), url: contactUrl(h.id, back), inMyContacts: mine.has(h.id), listable: h.state !== 'restricted' })),
    /** « J’ai appelé » and « Mes contacts » on each result go back to this very search. */
    back,
    callChoices,
    scopeLabel: zoneLabel(s),
    zone: presentZone(result, current, member),
    widen: {
      region: s.departement ? searchUrl(current, { departement: '', region: getDepartement(s.departement)?.regionCode ?? member.region }) : undefined,
      regionName: s.departement ? getRegion(getDepartement(s.departement)?.regionCode ?? '')?.name : undefined,
      france: s.departement || s.region ? searchUrl(current, { departement: '', region: '' }) : undefined,
      own: !s.departement || s.departement !== member.departement ? searchUrl(current, { departement: member.departement, region: '' }) : undefined,
    },
    memberRegionName: memberRegion?.name,
    clearAll: searchUrl({ q: result.query }, { departement: '', region: '' }),
    facets: {
      region: facetList(result.facets.region, (c) => getRegion(c)?.name ?? c, 'region', current, s.region),
      departement: facetList(result.facets.departement, (c) => `${getDepartement(c)?.name ?? c} (${c})`, 'departement', current, s.departement),
      type: facetList(result.facets.agencyTypeCode, (c) => getAgencyType(c)?.label ?? c, 'type', current, s.type),
      thematique: facetList(result.facets.topics, (c) => getTopic(c)?.label ?? c, 'thematique', current, s.thematique),
    },
    sorts: (['pertinence', 'utilite', 'fraicheur'] as const).map((tri) => ({
      tri,
      label: { pertinence: 'Pertinence', utilite: 'Utilité', fraicheur: 'Fraîcheur' }[tri],
      selected: tri === query.tri,
      url: searchUrl(current, { tri }),
    })),
    pages: {
      prev: result.page > 1 ? searchUrl(current, { page: result.page - 1 }) : undefined,
      next: result.page < result.totalPages ? searchUrl(current, { page: result.page + 1 }) : undefined,
    },
    filters: current,
    hidden: formFilters(result, query),
    agencyTypes: listAgencyTypes().map((t) => ({ code: t.code, label: t.label })),
  };
}

/** The JSON answer of GET /recherche with Accept: application/json. */
export function presentJson(result: SearchResult) {
  return {
    query: result.query,
    total: result.total,
    page: result.page,
    degraded: result.degraded,
    scope: {
      departement: result.scope.departement ?? null,
      region: result.scope.region ?? null,
      type: result.scope.type ?? null,
      thematique: result.scope.thematique ?? null,
      reason: result.scope.reason,
      label: zoneLabel(result.scope),
      place: result.scope.place
        ? { kind: result.scope.place.kind, code: result.scope.place.code, name: result.scope.place.name, label: result.scope.place.label }
        : null,
      widenedFrom: result.scope.emptyIn
        ? {
            departement: result.scope.emptyIn.departement ?? null,
            region: result.scope.emptyIn.region ?? null,
            reason: result.scope.emptyIn.reason,
            label: zoneLabel(result.scope.emptyIn),
          }
        : null,
    },
    number: result.number ?? null,
    hits: result.hits.map((h) => ({
      id: h.id,
      agency: { id: h.agencyId, name: h.agencyName, type: h.agencyTypeCode, commune: h.commune ?? null },
      name: h.agentName ?? null,
      function: h.function ?? null,
      service: h.service ?? null,
      phones: h.phones.map((p) => ({ e164: p.e164, display: formatForDisplay(p.e164), kind: p.kind, extension: p.extension ?? null })),
      topics: h.topics,
      departement: h.departement,
      region: h.region,
      state: h.state,
    })),
    facets: result.facets,
  };
}
