/**
 * Every threshold of the signals and freshness rules, with the starting values
 * of docs/trust.md (and docs/resilience.md for the usage caps). Admins may override them (stored in the
 * `settings` collection); code reads them through getThresholds().
 */
import { z } from 'zod';
import { Setting } from './setting.model';

export const ThresholdsSchema = z.object({
  /** Data-quality reports (wrong number, person left, no answer) counted within this many days. */
  reportWindowDays: z.number().int().min(1).max(365),
  needsCheckScore: z.number().min(1),
  needsCheckReporters: z.number().int().min(1),
  maskScore: z.number().min(1),
  maskReporters: z.number().int().min(1),
  /** No masking while a positive confirmation is this recent. */
  maskPositiveGraceDays: z.number().int().min(0),
  personalDataScore: z.number().min(1),
  /** Member level from which one personal-data report restricts at once. */
  trustedLevel: z.number().int().min(1).max(3),
  ratingsPerDay: z.number().int().min(1),
  signalsPerDay: z.number().int().min(1),
  reportsPerDay: z.number().int().min(1),
  confirmationCooldownDays: z.number().int().min(1),
  validityHalfLifeDays: z.number().min(1),
  qualityHalfLifeDays: z.number().min(1),
  staleMonths: z.number().int().min(1),
  archiveMonths: z.number().int().min(1),
  archiveAfterNeedsCheckDays: z.number().int().min(1),
  minVotesShown: z.number().int().min(1),
  /** Per-member caps on reading the directory (docs/resilience.md): searches, contact pages, vCards. */
  searchesPerHour: z.number().int().min(1),
  searchesPerDay: z.number().int().min(1),
  contactViewsPerHour: z.number().int().min(1),
  contactViewsPerDay: z.number().int().min(1),
  vcardsPerHour: z.number().int().min(1),
  vcardsPerDay: z.number().int().min(1),
  /** Deepest page of search results served as JSON (20 results a page). */
  searchJsonMaxPage: z.number().int().min(1).max(50),
  /** Confirmation campaigns to listed agents (jobs/agent-campaign.ts): months between two e-mails to one agent. */
  agentCampaignMonths: z.number().int().min(1),
  /** At most this many campaign e-mails a day, all régions together. */
  agentCampaignPerDay: z.number().int().min(1),
  /** « J’ai appelé » taps per member and day (a second tap on the same card the same day replaces the first, but counts). */
  callsPerDay: z.number().int().min(1),
  /** Distinct members whose latest call found the number wrong (within `callWindowDays`) that put a published card to « à vérifier ». */
  wrongCallersToFlag: z.number().int().min(2),
  /** Calls counted by the « numéro faux » rule and by « joint par N collègues ce mois-ci ». */
  callWindowDays: z.number().int().min(1).max(365),
  /** Days the author has to re-check a stale or signalled card before it enters the moderators' queue. */
  recheckGraceDays: z.number().int().min(0).max(60),
});
export type Thresholds = z.infer<typeof ThresholdsSchema>;

export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  reportWindowDays: 60,
  needsCheckScore: 4,
  needsCheckReporters: 2,
  maskScore: 8,
  maskReporters: 3,
  maskPositiveGraceDays: 14,
  personalDataScore: 4,
  trustedLevel: 2,
  ratingsPerDay: 40,
  signalsPerDay: 20,
  reportsPerDay: 10,
  confirmationCooldownDays: 30,
  validityHalfLifeDays: 90,
  qualityHalfLifeDays: 365,
  staleMonths: 12,
  archiveMonths: 24,
  archiveAfterNeedsCheckDays: 30,
  minVotesShown: 3,
  searchesPerHour: 120,
  searchesPerDay: 400,
  contactViewsPerHour: 100,
  contactViewsPerDay: 300,
  vcardsPerHour: 30,
  vcardsPerDay: 100,
  searchJsonMaxPage: 5,
  agentCampaignMonths: 6,
  agentCampaignPerDay: 200,
  callsPerDay: 40,
  wrongCallersToFlag: 2,
  callWindowDays: 30,
  recheckGraceDays: 7,
});

const KEY = 'thresholds';
const TTL_MS = 30_000;
let cache: { value: Thresholds; at: number } | undefined;

/** The thresholds in force (admin overrides over the defaults), cached for 30 s. */
export async function getThresholds(): Promise<Thresholds> {
  if (cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const doc = await Setting.findById(KEY).lean();
  const merged = ThresholdsSchema.safeParse({ ...DEFAULT_THRESHOLDS, ...((doc?.value as object) ?? {}) });
  const value = merged.success ? merged.data : DEFAULT_THRESHOLDS;
  cache = { value, at: Date.now() };
  return value;
}

/** Stores overrides (admins only: the caller authorizes). */
export async function saveThresholds(values: Partial<Thresholds>, by?: string): Promise<Thresholds> {
  const parsed = ThresholdsSchema.parse({ ...(await getThresholds()), ...values });
  await Setting.updateOne({ _id: KEY }, { $set: { value: parsed, updatedBy: by } }, { upsert: true });
  cache = undefined;
  return parsed;
}

/** Forgets the cached values (tests, after an admin change). */
export function clearThresholdsCache(): void {
  cache = undefined;
}
