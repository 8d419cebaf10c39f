/** Search results → result cards, facet links and the JSON answer. */
import { relativeFromNow } from '../core/dates';
import { formatForDisplay, toTelHref } from '../contacts/phone';
import { PHONE_KIND_LABELS } from '../contacts/contacts.presenter';
import { getAgencyType, getTopic, listAgencyTypes } from '../reference/catalog';
import { getDepartement, getRegion } from '../reference/territories';
import { usefulness } from '../signals/signals.presenter';
import type { SearchQuery } from './search.schemas';
import { HIGHLIGHT, type SearchHit, type SearchResult } from './search.service';

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

export function presentHit(hit: SearchHit) {
  const title = hit.agentName ?? hit.service ?? hit.function ?? 'Ligne du service';
  const titleField = hit.agentName ? 'agentName' : hit.service ? 'service' : 'function';
  return {
    id: hit.id,
    agencyName: segments(hit._formatted?.agencyName, hit.agencyName),
    agencyId: hit.agencyId,
    commune: hit.commune,
    title: segments(hit._formatted?.[titleField as 'agentName'], title),
    subtitle: [hit.agentName ? hit.function : undefined, hit.agentName || hit.function !== title ? hit.service : undefined].filter((v) => v && v !== title).join(' · '),
    phones: hit.phones.map((p) => ({
      display: formatForDisplay(p.e164),
      href: toTelHref(p.e164, p.extension),
      e164: p.e164,
      extension: p.extension,
      kindLabel: PHONE_KIND_LABELS[p.kind as keyof typeof PHONE_KIND_LABELS] ?? p.kind,
    })),
    topics: hit.topics.slice(0, 4).map((t) => getTopic(t)?.label ?? t),
    hours: hit.hours,
    phonesMasked: hit.phonesMasked,
    needsCheck: hit.state === 'needs_check',
    restricted: hit.state === 'restricted',
    freshness: hit.verifiedAt ? `Vérifié ${relativeFromNow(new Date(hit.verifiedAt * 1000))}` : 'Pas encore vérifié',
    confirmations: hit.confirmations,
    usefulness: usefulness(hit.helpful, hit.notHelpful),
  };
}

type Params = Partial<Record<'q' | 'region' | 'departement' | 'type' | 'thematique' | 'tri', string>>;

/** /recherche?… with `changes` applied; `page` is dropped (back to page 1) unless given. */
export function searchUrl(current: Params, changes: Params & { page?: number }): string {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...current, ...changes })) if (v !== undefined) merged[k] = String(v);
  return `/recherche?${new URLSearchParams(merged).toString()}`;
}

function facetList(counts: Record<string, number>, label: (code: string) => string, param: keyof Params, current: Params, selected?: string) {
  return Object.entries(counts)
    .map(([code, count]) => ({ code, count, label: label(code), selected: code === selected, url: searchUrl(current, { [param]: code === selected ? '' : code }) }))
    .sort((a, b) => Number(b.selected) - Number(a.selected) || b.count - a.count || a.label.localeCompare(b.label, 'fr'));
}

export function presentResults(result: SearchResult, query: SearchQuery, member: { departement: string; region: string }) {
  const s = result.scope;
  const current: Params = { q: result.query, region: s.region ?? '', departement: s.departement ?? '', type: s.type, thematique: s.thematique, tri: query.tri };
  const departementName = s.departement ? getDepartement(s.departement)?.name : undefined;
  const regionName = s.region ? getRegion(s.region)?.name : undefined;
  const memberRegion = getRegion(member.region);
  return {
    query: result.query,
    total: result.total,
    page: result.page,
    totalPages: result.totalPages,
    degraded: result.degraded,
    hits: result.hits.map(presentHit),
    scopeLabel: departementName ? `${departementName} (${s.departement})` : regionName ?? 'toute la France',
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
