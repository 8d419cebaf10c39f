/**
 * npm run seed -- --contacts N: a large synthetic data set for benchmarks, in every département.
 *
 * Marking. Synthetic agencies are named « Synthétique – … », so their nameKey starts with
 * `synthetique ` and cannot collide with a real or demo agency; synthetic contacts are exactly the
 * contacts of those agencies, so the contact schema needs no extra field. One record in
 * `seed_runs` says what set is in place (count, agencies, generator version): a run with the same
 * count leaves it alone, any other deletes the synthetic agencies and their contacts and inserts
 * the new set. Either way `--contacts 100000` twice leaves 100 000 synthetic contacts.
 *
 * Numbers. Only the fiction blocks (see seeds/contacts.ts) are used, from index 1000 up, so that
 * synthetic numbers never equal a demo one. The six blocks hold 54 000 such numbers while 100 000
 * contacts are asked for, and a zone such as 04 serves 25 départements: so, as in real
 * administrations, some agents and lines are reached through their agency's switchboard and an
 * extension (« poste »). Those contacts share the switchboard number (distinct extensions); every
 * direct or service number is used once.
 *
 * Deterministic: a seeded PRNG (mulberry32), no Math.random; dates are relative to `now`.
 */
import { createRequire } from 'node:module';
import { model, Schema, type Types } from 'mongoose';
import { Agency } from '../src/agencies/agency.model';
import type { Say } from '../src/boot';
import { config } from '../src/config';
import { Contact, type ContactState } from '../src/contacts/contact.model';
import { type Departement, listDepartements, listRegions } from '../src/reference/territories';
import { agencyFields, type AgencySpec, createNumberPool, NUMBER_SLICES } from './agencies';
import {
  agentKeyOf, demoAccountIds, demoEmail, fictionalAgent, functionTitle, GENERIC_TIPS, HOURS, rolesFor,
} from './contacts';

export const SYNTHETIC_NAME_PREFIX = 'Synthétique – ';
/** foldKey of every synthetic agency name starts with this. */
export const SYNTHETIC_KEY_PREFIX = 'synthetique ';
const BATCH_SIZE = 5000;
const CONTACTS_PER_AGENCY = 30;
const SEED = 0x1d1ec7e;
const DAY = 24 * 60 * 60 * 1000;

/** mulberry32: small, fast, good enough to vary names and dates reproducibly. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- Places --------------------------------------------------------------------------------------

type Place = { label: string; commune: string; postcode: string; typeLiaison: number };
type CogCommune = {
  code: string; nom: string; typeLiaison: number; departement?: string; type: string; codesPostaux?: string[]; population?: number;
};

/** "de Nantes", "d'Angers", "du Mans", "des Sables-d'Olonne", "de La Roche-sur-Yon". */
function deCommune(place: Place): string {
  switch (place.typeLiaison) {
    case 1: return `d'${place.label}`;
    case 2: return `du ${place.label.replace(/^Le /, '')}`;
    case 4: return `des ${place.label.replace(/^Les /, '')}`;
    default: return `de ${place.label}`;
  }
}

/** The five most populated communes of each département (Paris: its arrondissements), and the chefs-lieux. */
function loadPlaces() {
  const require = createRequire(import.meta.url);
  const communes = require('@etalab/decoupage-administratif/data/communes.json') as CogCommune[];
  const departements = require('@etalab/decoupage-administratif/data/departements.json') as { code: string; chefLieu: string }[];
  const regions = require('@etalab/decoupage-administratif/data/regions.json') as { code: string; chefLieu: string }[];
  const toPlace = (c: CogCommune): Place => ({
    label: c.nom.replace(/ Arrondissement$/, ''),
    commune: c.type === 'arrondissement-municipal' ? c.nom.replace(/ \d.*$/, '') : c.nom,
    postcode: c.codesPostaux?.[0] ?? '',
    typeLiaison: c.typeLiaison,
  });
  const byCode = new Map<string, CogCommune>();
  const byDepartement = new Map<string, CogCommune[]>();
  for (const c of communes) {
    if (c.type === 'commune-actuelle') byCode.set(c.code, c);
    if (!c.departement || !c.codesPostaux?.length) continue;
    // Paris is a single commune: its arrondissements stand in for the other communes.
    const kept = c.departement === '75' ? c.type === 'arrondissement-municipal' : c.type === 'commune-actuelle';
    if (kept) (byDepartement.get(c.departement) ?? byDepartement.set(c.departement, []).get(c.departement)!).push(c);
  }
  const top = new Map<string, Place[]>();
  for (const [code, list] of byDepartement) {
    top.set(code, list.sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || a.code.localeCompare(b.code)).slice(0, 5).map(toPlace));
  }
  const chefLieu = new Map<string, Place>();
  for (const d of departements) {
    const c = byCode.get(d.chefLieu);
    if (c) chefLieu.set(d.code, toPlace(c));
  }
  const regionSeat = new Map<string, { departement: string; place: Place }>();
  for (const r of regions) {
    const c = byCode.get(r.chefLieu);
    if (c?.departement) regionSeat.set(r.code, { departement: c.departement, place: toPlace(c) });
  }
  return { top, chefLieu, regionSeat };
}

// --- Agencies ------------------------------------------------------------------------------------

type Planned = AgencySpec;

/** Every synthetic agency of a département: about 30, from the CAF to the France Services. */
function planDepartement(d: Departement, index: number, places: Place[], seat: Place): Planned[] {
  const de = d.nameWithDe;
  const at = (i: number) => places[i % places.length] ?? seat;
  const plan: Planned[] = [];
  const add = (typeCode: string, name: string, place: Place) =>
    plan.push({ departement: d.code, typeCode, name: `${SYNTHETIC_NAME_PREFIX}${name}`, commune: place.commune, postcode: place.postcode });

  if (d.code !== '976') add('CAF', `CAF ${de}`, seat);
  if (!d.overseas) add('CPAM', `CPAM ${de}`, seat);
  else add('CGSS', d.code === '976' ? `Caisse de sécurité sociale ${de}` : `CGSS ${de}`, seat);
  // Some départements call their MDPH « Maison départementale de l'autonomie ».
  add('MDPH', index % 5 === 1 ? `MDA ${de} (Maison départementale de l'autonomie)` : `MDPH ${de}`, seat);
  add('CD_SSD', `Maison départementale des solidarités ${deCommune(at(0))}`, at(0));
  add('CD_SSD', `Maison départementale des solidarités ${deCommune(at(1))}`, at(1));
  add('CD_ASE', `Département ${de} – aide sociale à l'enfance`, seat);
  add('CD_PMI', `Département ${de} – PMI`, seat);
  add('CD_INSERTION', `Département ${de} – service insertion`, seat);
  add('CD_AUTONOMIE', `Département ${de} – autonomie`, seat);
  add('CD_LOGEMENT', `Fonds de solidarité logement ${de}`, seat);
  add('PREFECTURE', `Préfecture ${de}`, seat);
  add('DDETS', `DDETS ${de}`, seat);
  add('SIAO_115', `SIAO ${de}`, seat);
  add('ADIL', `ADIL ${de}`, seat);
  add('BANQUE_DE_FRANCE', `Banque de France – succursale ${deCommune(seat)}`, seat);
  add('SPIP', `SPIP ${de}`, seat);
  add('TRIBUNAL_JUDICIAIRE', `Tribunal judiciaire ${deCommune(seat)}`, seat);
  for (const i of [0, 1, 2]) add('FRANCE_TRAVAIL', `France Travail ${at(i).label}`, at(i));
  for (const i of [0, 1, 2]) add('CCAS', `CCAS ${deCommune(at(i))}`, at(i));
  add('MISSION_LOCALE', `Mission locale ${deCommune(at(0))}`, at(0));
  add('MAIRIE', `Mairie ${deCommune(at(1))}`, at(1));
  add('BAILLEUR_SOCIAL', `${at(0).label} Habitat`, at(0));
  add('BAILLEUR_SOCIAL', `Habitat ${de}`, seat);
  add('HOPITAL', `Centre hospitalier ${deCommune(at(0))} – PASS`, at(0));
  add('FRANCE_SERVICES', `France Services ${deCommune(at(3))}`, at(3));
  add('FRANCE_SERVICES', `France Services ${deCommune(at(4))}`, at(4));
  add('DGFIP', `Service des impôts des particuliers ${deCommune(at(0))}`, at(0));
  add('POINT_JUSTICE', `Point-justice ${deCommune(at(1))}`, at(1));
  return plan;
}

/**
 * All synthetic agencies, interleaved so that any prefix of the list covers every département and
 * a spread of types: the k-th round takes, in each département, its ((k + i) mod n)-th agency.
 */
export function planSyntheticAgencies(): Planned[] {
  const { top, chefLieu, regionSeat } = loadPlaces();
  const departements = listDepartements();
  const plans = departements.map((d, i) => {
    const seat = chefLieu.get(d.code);
    if (!seat) throw new Error(`Chef-lieu inconnu : ${d.code}`);
    return planDepartement(d, i, top.get(d.code) ?? [seat], seat);
  });
  // Régional bodies sit in the département of the région's chef-lieu.
  for (const r of listRegions()) {
    const s = regionSeat.get(r.code);
    const plan = s && plans[departements.findIndex((d) => d.code === s.departement)];
    if (!s || !plan) continue;
    const add = (typeCode: string, name: string) =>
      plan.push({ departement: s.departement, typeCode, name: `${SYNTHETIC_NAME_PREFIX}${name}`, commune: s.place.commune, postcode: s.place.postcode });
    if (!r.overseas) {
      add('CARSAT', r.code === '11' ? 'Assurance retraite Île-de-France' : `CARSAT ${r.name}`);
      add('MSA', `MSA ${r.name}`);
      add('URSSAF', `URSSAF ${r.name}`);
    }
    add('OFII', `OFII – direction territoriale ${deCommune(s.place)}`);
  }
  const rounds = Math.max(...plans.map((p) => p.length));
  const ordered: Planned[] = [];
  for (let k = 0; k < rounds; k++) {
    plans.forEach((plan, i) => {
      if (k < plan.length) ordered.push(plan[(k + i) % plan.length]!);
    });
  }
  return ordered;
}

// --- Contacts ------------------------------------------------------------------------------------

/**
 * What the synthetic set in place was built with. FerretDB (SQLite) filters every query but `_id`
 * equality by scanning the whole collection, so a clean-up of 100 000 contacts costs minutes: this
 * record lets a run with the same count skip it, and sizes the clean-up of a different one.
 */
const SyntheticRun = model(
  'SyntheticRun',
  new Schema({ _id: String, count: Number, agencies: Number, version: Number, complete: Boolean }, { collection: 'seed_runs', timestamps: true, versionKey: false }),
);
const RUN_ID = 'synthetic';
/** Bump when the generator changes, so that the next run rebuilds the set. */
const GENERATOR_VERSION = 1;
const MAX_COUNT = 1_000_000;
// FerretDB deletes all the matches of one command in one SQL statement, and SQLite takes at most
// 32 766 variables per statement ("too many SQL variables"): each delete must match fewer.
const MAX_DELETE_MATCHES = 25_000;

const syntheticAgencyFilter = { nameKey: { $regex: `^${SYNTHETIC_KEY_PREFIX}` } };

/** Deletes every synthetic agency and its contacts (and the run record); returns how many contacts went. */
export async function removeSyntheticData(): Promise<number> {
  const run = await SyntheticRun.findById(RUN_ID).lean();
  const ids = (await Agency.find(syntheticAgencyFilter, { _id: 1 }).lean()).map((a) => a._id);
  let deleted = 0;
  if (ids.length) {
    // Contacts are dealt round-robin, so an agency holds at most ceil(count / agencies) of them.
    const perAgency = Math.ceil((run?.count ?? MAX_COUNT) / ids.length);
    const chunk = Math.max(1, Math.floor(MAX_DELETE_MATCHES / perAgency));
    for (let i = 0; i < ids.length; i += chunk) {
      deleted += (await Contact.deleteMany({ agencyId: { $in: ids.slice(i, i + chunk) } })).deletedCount;
    }
    for (let i = 0; i < ids.length; i += MAX_DELETE_MATCHES) await Agency.deleteMany({ _id: { $in: ids.slice(i, i + MAX_DELETE_MATCHES) } });
  }
  await SyntheticRun.deleteOne({ _id: RUN_ID });
  return deleted;
}

function pickState(r: number): ContactState {
  if (r < 0.915) return 'published';
  if (r < 0.985) return 'needs_check';
  if (r < 0.99) return 'restricted';
  return 'pending';
}

/** 100000 → '100 000' (a plain space, easier to read in any terminal and to grep). */
export const frenchCount = (n: number) => n.toLocaleString('fr-FR').replace(/\s/g, ' ');

/**
 * Makes the synthetic data set hold exactly `count` contacts (and the agencies they need, about one
 * per 30 contacts, at least one per département), inserted in batches of 5 000. A set of the same
 * size and generator version is left as it is unless `force`; any other is deleted and rebuilt.
 * Refuses production. Returns the number of synthetic contacts.
 */
export async function seedSyntheticContacts(count: number, say: Say, options: { now?: Date; force?: boolean } = {}): Promise<number> {
  if (config.isProduction) throw new Error('Les données synthétiques sont interdites en production.');
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) throw new Error(`Nombre de fiches invalide : ${count}`);
  const now = options.now ?? new Date();
  const started = Date.now();
  const run = await SyntheticRun.findById(RUN_ID).lean();
  if (!options.force && run?.complete && run.count === count && run.version === GENERATOR_VERSION
    && (await Agency.countDocuments(syntheticAgencyFilter)) === run.agencies) {
    say(`Synthétique : les ${frenchCount(count)} fiches sont déjà en place.`);
    return count;
  }
  if (run || (await Agency.exists(syntheticAgencyFilter))) {
    say('Synthétique : suppression du jeu précédent…');
    const removed = await removeSyntheticData();
    say(`Synthétique : ${frenchCount(removed)} fiches précédentes supprimées (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  }

  const rng = createPrng(SEED);
  const plan = planSyntheticAgencies();
  const planned = plan.slice(0, Math.min(plan.length, Math.max(listDepartements().length, Math.ceil(count / CONTACTS_PER_AGENCY))));
  const pool = createNumberPool(...NUMBER_SLICES.synthetic);
  const agencyDocs = planned.map((s) => agencyFields(s, pool.take(s.departement)?.e164));
  // Recorded before the inserts: an interrupted run is cleaned up by the next one.
  await SyntheticRun.updateOne(
    { _id: RUN_ID },
    { $set: { count, agencies: agencyDocs.length, version: GENERATOR_VERSION, complete: false } },
    { upsert: true },
  );
  const inserted = await Agency.insertMany(agencyDocs, { ordered: true });
  const agencies = inserted.map((a) => a.toObject());
  say(`Synthétique : ${frenchCount(agencies.length)} agences dans ${new Set(agencies.map((a) => a.departement)).size} départements.`);

  // Share of direct numbers per block, so that no block runs dry half-way through (at most 90 %:
  // one contact in ten is reached through the switchboard anyway, as in real life).
  const K = agencies.length;
  const demand = new Map<string, number>();
  const capacity = new Map<string, number>();
  agencies.forEach((a, i) => {
    const block = pool.blockOf(a.departement);
    demand.set(block, (demand.get(block) ?? 0) + Math.floor(count / K) + (i < count % K ? 1 : 0));
    capacity.set(block, pool.remaining(a.departement));
  });
  const directShare = new Map([...demand].map(([block, d]) => [block, Math.min(0.9, capacity.get(block)! / d)]));
  const mobileBlock = pool.blockOf('75', 'mobile');
  const mobileLeft = pool.remaining('75', 'mobile') - (demand.get(mobileBlock) ?? 0) * (directShare.get(mobileBlock) ?? 0);
  const mobileShare = Math.max(0, Math.min(1, mobileLeft / Math.max(1, 0.05 * count)));

  const accounts = [...(await demoAccountIds()).values()];
  const ago = (days: number) => new Date(now.getTime() - Math.round(days * DAY));
  let done = 0;
  for (let start = 0; start < count; start += BATCH_SIZE) {
    const batch = [];
    for (let j = start; j < Math.min(count, start + BATCH_SIZE); j++) {
      const agency = agencies[j % K]!;
      const m = Math.floor(j / K);
      const roles = rolesFor(agency.typeCode);
      const role = roles[m % roles.length]!;
      const repeat = Math.floor(m / roles.length);
      const state = pickState(rng());
      const person = role.kind === 'agent' ? fictionalAgent(Math.floor(rng() * 1_000_000)) : undefined;

      type Phone = { e164: string; kind: 'direct' | 'mobile' | 'switchboard' | 'service'; extension?: string; numberType: string };
      const phones: Phone[] = [];
      const block = pool.blockOf(agency.departement);
      const direct = rng() < (directShare.get(block) ?? 0) ? pool.take(agency.departement) : undefined;
      if (direct) phones.push({ e164: direct.e164, kind: person ? 'direct' : 'service', numberType: direct.numberType });
      else if (agency.switchboard) phones.push({ e164: agency.switchboard, kind: 'switchboard', extension: String(1000 + m), numberType: 'fixed' });
      if (person && rng() < 0.05 && rng() < mobileShare) {
        const mobile = pool.take(agency.departement, 'mobile');
        if (mobile) phones.push({ e164: mobile.e164, kind: 'mobile', numberType: mobile.numberType });
      }

      const phoneDays = state === 'needs_check' ? 366 + rng() * 174 : state === 'pending' ? rng() * 30 : rng() * 365;
      const agentDays = Math.min(phoneDays + rng() * 30, state === 'needs_check' ? 540 : 365);
      const hoursDays = Math.min(phoneDays + rng() * 120, 540);
      const createdDays = Math.max(phoneDays, agentDays, hoursDays) + rng() * 60;
      const checkedDays = person ? Math.max(phoneDays, agentDays) : phoneDays;
      const author = accounts.length ? accounts[j % accounts.length] : undefined;
      const check = (days: number) => ({ at: ago(days), ...(author ? { by: author } : {}), method: state === 'pending' ? 'confirmation' : 'call_outcome' });
      const email = person ? demoEmail(`${person.firstName} ${person.lastName}`, agency.name.slice(SYNTHETIC_NAME_PREFIX.length)) : undefined;
      const hours = rng() < 0.8 ? HOURS[Math.floor(rng() * HOURS.length)] : undefined;
      const tips = role.tips ?? (rng() < 0.5 ? GENERIC_TIPS[Math.floor(rng() * GENERIC_TIPS.length)] : undefined);
      const publishedAt = state === 'pending' ? undefined : ago(createdDays - 2);
      // A repeated service line is another antenna of the same service.
      const service = role.kind === 'service_line' && repeat > 0 ? `${role.service} – antenne ${repeat + 1}` : role.service;

      batch.push({
        agencyId: agency._id as Types.ObjectId,
        kind: role.kind,
        ...(person ? {
          agentFirstName: person.firstName,
          agentLastName: person.lastName,
          agentKey: agentKeyOf(person.firstName, person.lastName),
          function: functionTitle(role, person.feminine),
        } : {}),
        service,
        phones,
        phoneKeys: [...new Set(phones.map((p) => p.e164))],
        ...(email ? { email } : {}),
        ...(hours ? { hours } : {}),
        ...(tips ? { tips } : {}),
        topics: [...role.topics],
        departement: agency.departement,
        region: agency.region,
        state,
        ...(state === 'needs_check' ? { needsCheckSince: ago(Math.max(0, checkedDays - 365)) } : {}),
        verified: {
          phone: check(phoneDays),
          ...(person ? { agent: check(agentDays), email: check(agentDays) } : {}),
          ...(hours ? { hours: check(hoursDays) } : {}),
        },
        lastVerifiedAt: ago(checkedDays),
        rankScore: 0,
        revision: 1,
        // Bulk data reaches the index through a full rebuild (npm run seed runs reindexAll),
        // not through the per-document sync, which would scan the whole collection on FerretDB.
        indexedRevision: 1,
        searchDirty: false,
        ...(author ? { createdBy: author } : {}),
        ...(publishedAt ? { publishedAt } : {}),
        ...(person && publishedAt ? { agentInformedAt: publishedAt } : {}),
        createdAt: ago(createdDays),
        updatedAt: ago(Math.min(phoneDays, agentDays, hoursDays)),
      });
    }
    await Contact.insertMany(batch, { ordered: true });
    done += batch.length;
    say(`Synthétique : ${frenchCount(done)} / ${frenchCount(count)} fiches (${((Date.now() - started) / 1000).toFixed(1)} s).`);
  }
  await SyntheticRun.updateOne({ _id: RUN_ID }, { $set: { complete: true } });
  return done;
}
