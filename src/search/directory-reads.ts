/**
 * Reads of the directory that the search index answers better than the
 * database: an agency's visible contacts (paged, by rank), how many each
 * agency has, agencies by typed name. The index holds exactly the visible
 * contacts (contact-index.ts), so these cost the same at any size; callers
 * load the returned ids from the database, which stays the truth
 * (docs/data-access.md). They throw when the engine is away; callers degrade.
 */
import { Types } from 'mongoose';
import { agenciesIndex, contactsIndex } from './contact-index';
import { searchIndex } from './meili-client';

const quote = (value: string) => `"${value.replace(/["\\]/g, '')}"`;

/** Ids of an agency's indexed contacts, best first, and how many there are. */
export async function agencyContactIds(agencyId: Types.ObjectId | string, page: { offset: number; limit: number }): Promise<{ ids: Types.ObjectId[]; total: number }> {
  const res = await searchIndex<{ hits: Array<{ id: string }>; estimatedTotalHits?: number; totalHits?: number }>(contactsIndex.name, {
    q: '',
    filter: `agencyId = ${quote(String(agencyId))}`,
    sort: ['rankScore:desc'],
    attributesToRetrieve: ['id'],
    offset: page.offset,
    limit: page.limit,
  });
  return { ids: res.hits.map((h) => new Types.ObjectId(h.id)), total: res.estimatedTotalHits ?? res.totalHits ?? res.hits.length };
}

/** Number of indexed (visible) contacts per agency of a département. */
export async function visibleCountsInDepartement(departement: string): Promise<Map<string, number>> {
  const res = await searchIndex<{ facetDistribution?: Record<string, Record<string, number>> }>(contactsIndex.name, {
    q: '',
    filter: `departement = ${quote(departement)}`,
    facets: ['agencyId'],
    limit: 0,
  });
  return new Map(Object.entries(res.facetDistribution?.agencyId ?? {}));
}

/** Ids of active agencies matching the typed words, best first. */
export async function searchAgencyIds(q: string, departement: string | undefined, limit: number): Promise<Types.ObjectId[]> {
  const res = await searchIndex<{ hits: Array<{ id: string }> }>(agenciesIndex.name, {
    q,
    ...(departement ? { filter: `departement = ${quote(departement)}` } : {}),
    attributesToRetrieve: ['id'],
    limit,
  });
  return res.hits.map((h) => new Types.ObjectId(h.id));
}
