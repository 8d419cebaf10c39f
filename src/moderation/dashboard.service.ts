/**
 * The moderation dashboard: what waits in the queue, how many decisions were
 * taken week after week, where the directory is thin (visible contacts per
 * place × agency type group) and what members searched for without finding.
 * Moderators see their régions; admins see every région, or one.
 *
 * Cost. Open queue items are read from the queue's keyed sets; coverage is
 * counted from the search index's facets (a dozen queries whatever the size of
 * the directory). Decisions need a pass over the audit log's recent events.
 * Both counts are made once for every région and shared by all the dashboards
 * of the process for a few minutes (sharedCount). docs/data-access.md.
 */
import type { Types } from 'mongoose';
import { parisWeekStart } from '../core/calendar';
import { logger } from '../core/logger';
import { type Actor, authorize, isAdmin, isModerator } from '../core/policy';
import { sharedCount } from '../core/shared-count';
import { listAgencyTypeGroups, listAgencyTypes } from '../reference/catalog';
import { listRegions, regionOfDepartement } from '../reference/territories';
import { departementFacets, frequentMisses } from '../search/search.service';
import { auditActionOf } from '../audit/audit-actions';
import { ITEM_TYPES, type ItemType } from '../inbox/queue';
import { eventsSince } from '../audit/audit';
import { listOpenItems } from '../inbox/queue';

export const DECISION_WEEKS = 8;
export const TOP_MISSES = 10;
const OTHER_GROUP = 'AUTRE';
const log = logger('moderation');

const MESSAGES = {
  notModerator: 'Cette page est réservée à la modération.',
  notYourRegion: 'Vous ne modérez pas cette région : choisissez l’une des vôtres.',
};

/** The régions a page covers. `all` is an admin's national view. */
export interface Scope {
  regions: string[];
  all: boolean;
  /** The région asked for with ?region=, if any. */
  region?: string;
  /** The régions the actor may pick from. */
  choices: string[];
}

/**
 * The régions the actor may look at: a moderator's own (or one of them),
 * every région for an admin (or the one asked for). Throws 403 for a région
 * a moderator does not moderate.
 */
export function resolveScope(actor: Actor, region?: string): Scope {
  authorize(isModerator(actor), MESSAGES.notModerator);
  const every = listRegions().map((r) => r.code);
  const choices = isAdmin(actor) ? every : every.filter((code) => actor.moderatorRegions.includes(code));
  if (region) {
    authorize(choices.includes(region), MESSAGES.notYourRegion);
    return { regions: [region], all: false, region, choices };
  }
  return { regions: choices, all: isAdmin(actor), choices };
}

/** Runs one query per région of the scope, or a single one for the national view. */
async function perRegion<T>(scope: Scope, query: (region?: string) => Promise<T[]>): Promise<T[]> {
  if (scope.all) return query();
  return (await Promise.all(scope.regions.map((r) => query(r)))).flat();
}

/** The dashboard's counts are shared by the process (core/shared-count.ts); a failed one is logged and retried. */
const countFailed = (err: unknown, count: string) => log.warn({ err, count }, 'dashboard count failed');

/** How long a dashboard waits for a first count before showing the page without it. */
export const COLD_WAIT_MS = 2000;

// --- Queue ---------------------------------------------------------------------------------------

export interface QueueSummary {
  types: Array<{ type: ItemType; label: string; count: number; oldestAt?: Date }>;
  total: number;
  oldestAt?: Date;
  oldestType?: ItemType;
}

/** Open items per type (every type listed, most urgent first) and the oldest open item. */
export async function summarizeQueue(scope: Scope): Promise<QueueSummary> {
  const items = await perRegion(scope, (region) => listOpenItems(region ? [region] : undefined));
  const types = (Object.keys(ITEM_TYPES) as ItemType[]).map((type) => ({ type, label: ITEM_TYPES[type].label, count: 0, oldestAt: undefined as Date | undefined }));
  const byType = new Map(types.map((t) => [t.type, t]));
  let oldest: { at: Date; type: ItemType } | undefined;
  for (const item of items) {
    const row = byType.get(item.type);
    if (!row) continue;
    row.count++;
    if (!row.oldestAt || item.createdAt < row.oldestAt) row.oldestAt = item.createdAt;
    if (!oldest || item.createdAt < oldest.at) oldest = { at: item.createdAt, type: item.type };
  }
  return { types, total: items.length, oldestAt: oldest?.at, oldestType: oldest?.type };
}

// --- Decisions -----------------------------------------------------------------------------------

/**
 * True when an audit event is a moderator's decision: written by a person
 * (not a job or an agent) with an action the catalogue (audit-actions.ts)
 * marks as a decision. Codes it does not hold are not counted.
 */
export function isDecision(event: { action: string; actorId?: unknown }): boolean {
  return !!event.actorId && auditActionOf(event.action)?.decision === true;
}

export interface WeekCount {
  /** Monday 00:00, Paris time. */
  start: Date;
  count: number;
}

export interface Decisions {
  weeks: WeekCount[];
  /** When they were counted. */
  at: Date;
}

/** The 8 week starts (Monday 00:00, Paris) ending with the week holding `now`. */
function weekStarts(now: Date): Date[] {
  return Array.from({ length: DECISION_WEEKS }, (_, i) => parisWeekStart(now, i - DECISION_WEEKS + 1));
}

type DecisionEvent = { action: string; at: Date; actorId?: Types.ObjectId | null; region?: string | null };

/** Index of the week holding the event, or -1. Weeks are in ascending order. */
function weekOf(starts: Date[], at: Date, now: Date): number {
  if (at > now) return -1;
  for (let i = starts.length - 1; i >= 0; i--) if (at >= starts[i]) return i;
  return -1;
}

/** Decisions of the last 8 weeks per région (events without one under ''). */
export interface DecisionCount {
  at: Date;
  /** Week starts (Monday 00:00, Paris time), oldest first; the last week is the current one. */
  starts: Date[];
  byRegion: Map<string, number[]>;
}

/** Counts the decisions of every région per calendar week (Monday to Sunday, Paris time), in one pass. */
export async function countDecisions(now = new Date()): Promise<DecisionCount> {
  const starts = weekStarts(now);
  const events: DecisionEvent[] = await eventsSince(starts[0]);
  const byRegion = new Map<string, number[]>();
  for (const e of events) {
    const week = isDecision(e) ? weekOf(starts, e.at, now) : -1;
    if (week < 0) continue;
    const counts = byRegion.get(e.region ?? '') ?? starts.map(() => 0);
    counts[week]++;
    byRegion.set(e.region ?? '', counts);
  }
  return { at: now, starts, byRegion };
}

/** The scope's weeks, cut from a count of every région. */
export function cutDecisions(scope: Scope, counted: DecisionCount): Decisions {
  const regions = new Set(scope.regions);
  const counts = counted.starts.map(() => 0);
  for (const [region, weeks] of counted.byRegion) {
    if (!scope.all && !regions.has(region)) continue;
    weeks.forEach((n, i) => (counts[i] += n));
  }
  return { at: counted.at, weeks: counted.starts.map((start, i) => ({ start, count: counts[i] })) };
}

const decisionCount = sharedCount('decisions', 5 * 60_000, () => countDecisions(), countFailed);

/**
 * The scope's decisions per week from the shared count (at most five minutes
 * old), or undefined when a first count is still running after `waitMs`.
 */
export async function decisionsWithin(scope: Scope, waitMs = Infinity): Promise<Decisions | undefined> {
  const counted = await decisionCount.get(waitMs);
  return counted && cutDecisions(scope, counted);
}

// --- Coverage ------------------------------------------------------------------------------------

export interface CoverageGroup {
  code: string;
  label: string;
}

/** Visible contacts per place (département, or région in the national view) and agency type group. */
export interface Coverage {
  groups: CoverageGroup[];
  /** place code → group code → count; places without contacts are absent. */
  counts: Map<string, Map<string, number>>;
  /** 'departement' when places are départements, 'region' for the national view. */
  placeKind: 'departement' | 'region';
  /** When the figures were counted. */
  at: Date;
}

/** The agency type groups in reference order (the coverage columns). */
export function coverageGroups(): CoverageGroup[] {
  return listAgencyTypeGroups().map((g) => ({ code: g.code, label: g.label }));
}

interface CoverageSnapshot {
  at: Date;
  /** département → group → visible contacts. */
  byDepartement: Map<string, Map<string, number>>;
}

/**
 * Counts visible contacts of the whole directory per département × agency
 * type group, from the search index (which holds exactly the visible
 * contacts): one faceted query per type group, so the cost does not grow
 * with the directory (docs/data-access.md). Throws when the engine is away;
 * the shared count then keeps the previous figures.
 */
async function countCoverage(): Promise<CoverageSnapshot> {
  const at = new Date();
  const groups = listAgencyTypeGroups().map((g) => ({ code: g.code, types: listAgencyTypes().filter((t) => t.group === g.code).map((t) => t.code) }));
  const known = groups.flatMap((g) => g.types);
  const queries = [
    ...groups.filter((g) => g.types.length).map((g) => ({ group: g.code, filter: `agencyTypeCode IN [${g.types.map((c) => `"${c}"`).join(', ')}]` })),
    { group: OTHER_GROUP, filter: `NOT agencyTypeCode IN [${known.map((c) => `"${c}"`).join(', ')}]` },
  ];
  const byDepartement = new Map<string, Map<string, number>>();
  for (const { group, filter } of queries) {
    for (const [departement, n] of Object.entries(await departementFacets(filter))) {
      if (!n) continue;
      const place = byDepartement.get(departement) ?? new Map<string, number>();
      place.set(group, (place.get(group) ?? 0) + n);
      byDepartement.set(departement, place);
    }
  }
  return { at, byDepartement };
}

const coverageCount = sharedCount('coverage', 10 * 60_000, countCoverage, countFailed);

function cutCoverage(scope: Scope, counted: CoverageSnapshot): Coverage {
  const counts = new Map<string, Map<string, number>>();
  const regions = new Set(scope.regions);
  for (const [departement, groups] of counted.byDepartement) {
    const region = regionOfDepartement(departement)?.code;
    if (!region || !regions.has(region)) continue;
    const place = scope.all ? region : departement;
    const target = counts.get(place) ?? new Map<string, number>();
    for (const [group, n] of groups) target.set(group, (target.get(group) ?? 0) + n);
    counts.set(place, target);
  }
  return { groups: coverageGroups(), counts, placeKind: scope.all ? 'region' : 'departement', at: counted.at };
}

/**
 * Visible contacts per département of the scope's régions, or per région in
 * the national view, from the shared count (at most ten minutes old); undefined
 * when a first count is still running after `waitMs`.
 */
export async function coverageWithin(scope: Scope, waitMs = Infinity): Promise<Coverage | undefined> {
  const counted = await coverageCount.get(waitMs);
  return counted && cutCoverage(scope, counted);
}

// --- Zero-result searches ------------------------------------------------------------------------

export interface Miss {
  query: string;
  region: string;
  count: number;
  lastAt: Date;
}

/** The most frequent searches that found nothing in the scope, most frequent first. */
export async function topMisses(scope: Scope, limit = TOP_MISSES): Promise<Miss[]> {
  const misses: Miss[] = await perRegion(scope, (region) => frequentMisses(region, limit));
  return misses.sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime()).slice(0, limit);
}

// --- The page ------------------------------------------------------------------------------------

export interface Dashboard {
  scope: Scope;
  queue: QueueSummary;
  /** Undefined while the first count of the audit log is still running. */
  decisions?: Decisions;
  /** Undefined while the first count of the directory is still running. */
  coverage?: Coverage;
  misses: Miss[];
  now: Date;
}

/** Everything the dashboard shows, for the actor's régions (or the one asked for). */
export async function getDashboard(actor: Actor, region?: string, now = new Date()): Promise<Dashboard> {
  const scope = resolveScope(actor, region);
  const [queue, decisions, coverage, misses] = await Promise.all([
    summarizeQueue(scope),
    decisionsWithin(scope, COLD_WAIT_MS),
    coverageWithin(scope, COLD_WAIT_MS),
    topMisses(scope),
  ]);
  return { scope, queue, decisions, coverage, misses, now };
}

/** Forgets both shared counts (tests; after a bulk import). */
export function clearDashboardCounts(): void {
  coverageCount.clear();
  decisionCount.clear();
}

/** Counts decisions and coverage afresh for every dashboard (tests; a job could warm them). */
export async function refreshDashboardCounts(): Promise<void> {
  clearDashboardCounts();
  await Promise.all([coverageCount.get(), decisionCount.get()]);
}
