import { z } from 'zod';
// Imported, not read from disk: the build bundles them, so nothing depends on where this file sits.
import agencyTypesData from '../../seeds/data/agency-types.json' with { type: 'json' };
import topicsData from '../../seeds/data/topics.json' with { type: 'json' };

export const LEVELS = ['NATIONAL', 'REGIONAL', 'DEPARTEMENTAL', 'LOCAL'] as const;
export type Level = (typeof LEVELS)[number];

// Stable identifiers (docs/domain.md « Codes »): ASCII UPPER_SNAKE_CASE, at most 24 characters.
const Code = z.string().regex(/^[A-Z][A-Z0-9_]{0,23}$/);
const Group = z.object({ code: Code, label: z.string().min(1) });
const Lifecycle = { deprecated: z.boolean().default(false), replacedBy: Code.optional() };

const AgencyTypeSchema = z.object({
  code: Code,
  shortLabel: z.string().min(1),
  label: z.string().min(1),
  group: Code,
  /** Usual levels, most usual first; empty when any level fits (AUTRE). */
  levels: z.array(z.enum(LEVELS)),
  priority: z.enum(['P1', 'P2']),
  description: z.string().min(1),
  note: z.string().optional(),
  /** Only these départements have this type (e.g. CGSS/CSSM overseas). */
  departements: z.array(z.string()).optional(),
  acronyms: z.array(z.string()),
  synonyms: z.array(z.string()),
  /** True for State and social-security bodies: loi ESSOC art. 28 bars them from surcharged numbers. */
  noSurchargedNumbers: z.boolean(),
  ...Lifecycle,
});

const TopicSchema = z.object({
  code: Code,
  label: z.string().min(1),
  group: Code,
  /** Default suggestions, not constraints. */
  usualAgencyTypes: z.array(Code),
  /** True when every agency type may deal with the topic (recours, médiation). */
  anyAgencyType: z.boolean().default(false),
  acronyms: z.array(z.string()),
  synonyms: z.array(z.string()),
  ...Lifecycle,
});

export type AgencyType = Readonly<z.infer<typeof AgencyTypeSchema>>;
export type Topic = Readonly<z.infer<typeof TopicSchema>>;
export type CatalogGroup<T> = { readonly code: string; readonly label: string; readonly items: readonly T[] };

function load<T extends { code: string; group: string }>(file: string, raw: Record<string, unknown>, key: string, schema: z.ZodType<T>) {
  const groups = z.array(Group).parse(raw.groups);
  const items = z.array(schema).parse(raw[key]);
  const byCode = new Map(items.map((item) => [item.code, Object.freeze(item)]));
  if (byCode.size !== items.length) throw new Error(`${file}: duplicate codes`);
  const groupCodes = new Set(groups.map((g) => g.code));
  const orphan = items.find((item) => !groupCodes.has(item.group));
  if (orphan) throw new Error(`${file}: ${orphan.code} has unknown group ${orphan.group}`);
  return { groups, items: Object.freeze([...byCode.values()]), byCode };
}

const agencyTypes = load('agency-types.json', agencyTypesData, 'agencyTypes', AgencyTypeSchema);
const topics = load('topics.json', topicsData, 'topics', TopicSchema);

for (const topic of topics.items) {
  const unknown = topic.usualAgencyTypes.find((code) => !agencyTypes.byCode.has(code));
  if (unknown) throw new Error(`topics.json: ${topic.code} refers to unknown agency type ${unknown}`);
}

function active<T extends { deprecated: boolean }>(items: readonly T[]): readonly T[] {
  return items.filter((item) => !item.deprecated);
}

function grouped<T extends { group: string; deprecated: boolean }>(catalog: {
  groups: { code: string; label: string }[];
  items: readonly T[];
}): CatalogGroup<T>[] {
  return catalog.groups
    .map((g) => ({ ...g, items: active(catalog.items).filter((item) => item.group === g.code) }))
    .filter((g) => g.items.length > 0);
}

/** Active agency types in the order of agency-types.json (docs/domain.md « Agency types »). */
export function listAgencyTypes(): readonly AgencyType[] {
  return active(agencyTypes.items);
}

/** The agency type with this code, deprecated ones included (old records keep their code). */
export function getAgencyType(code: string): AgencyType | undefined {
  return agencyTypes.byCode.get(code);
}

/** True when the value is a known agency-type code. */
export function isAgencyTypeCode(value: unknown): value is string {
  return typeof value === 'string' && agencyTypes.byCode.has(value);
}

/** Active agency types grouped for a `<select>` with `<optgroup>`s; empty groups are left out. */
export function listAgencyTypeGroups(): CatalogGroup<AgencyType>[] {
  return grouped(agencyTypes);
}

/** Active topics in the order of topics.json (docs/domain.md « Topics »). */
export function listTopics(): readonly Topic[] {
  return active(topics.items);
}

/** The topic with this code, deprecated ones included. */
export function getTopic(code: string): Topic | undefined {
  return topics.byCode.get(code);
}

/** True when the value is a known topic code. */
export function isTopicCode(value: unknown): value is string {
  return typeof value === 'string' && topics.byCode.has(value);
}

/** Active topics grouped by `groupe` (RESSOURCES, LOGEMENT…) for filters and selects. */
export function listTopicGroups(): CatalogGroup<Topic>[] {
  return grouped(topics);
}

/** Topics to suggest first for an agency type (its "organismes habituels": docs/domain.md « Topics »). */
export function listTopicsForAgencyType(agencyTypeCode: string): readonly Topic[] {
  return listTopics().filter((t) => t.anyAgencyType || t.usualAgencyTypes.includes(agencyTypeCode));
}

/** Every acronym of the catalog, upper-cased and deduplicated (screening allow-list). */
export function listAcronyms(): string[] {
  const all = [...agencyTypes.items, ...topics.items].flatMap((item) => item.acronyms);
  return [...new Set(all.map((a) => a.toUpperCase()))];
}
