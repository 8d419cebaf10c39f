/**
 * Rebuilds, from a full read of the collections, everything the data access
 * keeps beside the documents so that requests never scan
 * (docs/data-access.md): the keyed sets (core/lookup.ts) of agencies,
 * contacts, accounts, open queue items and contacts' audit events; the
 * per-card signal lists and the pair-derived ids of votes and confirmations;
 * suppression entries keyed by their hash. It reads whole collections, so it
 * runs only where that is expected: after bulk loads (seeds) and once when a
 * database written by an earlier version is opened (`migrateData`).
 */
import { type Types } from 'mongoose';
import { agencyKeys, Agency, type AgencyDoc } from '../agencies/agency.model';
import { Contact, type ContactDoc, contactKeys } from '../contacts/contact.model';
import { Suppression } from '../contacts/suppression.model';
import { writeSets } from '../core/lookup';
import { logger } from '../core/logger';
import { Member, type MemberDoc, memberEmailKey } from '../members/member.model';
import { eachContactEventKey } from '../audit/audit';
import { eachOpenItemKeys } from '../inbox/queue';
import { Setting } from '../settings/setting.model';
import { Confirmation, Rating, Report } from '../signals/signal.models';
import { confirmationId, ratingId } from '../signals/signals.service';
import { isDuplicateKey } from '../core/db';

const log = logger('lifecycle');
/** Version of what the data access keeps beside the documents; bump it when that changes. */
export const DATA_VERSION = 3;
const VERSION_ID = 'data-version';

class Sets {
  readonly sets = new Map<string, Types.ObjectId[]>();
  add(keys: string[], id: Types.ObjectId) {
    for (const key of keys) {
      const ids = this.sets.get(key) ?? [];
      if (!ids.some((x) => x.equals(id))) ids.push(id);
      this.sets.set(key, ids);
    }
  }
}

/** The keyed sets of agencies and contacts (after a bulk load). Returns how many documents were read. */
export async function rebuildDirectoryKeys(): Promise<{ agencies: number; contacts: number; keys: number }> {
  const sets = new Sets();
  let agencies = 0;
  let contacts = 0;
  for await (const agency of Agency.find({}).select({ departement: 1, nameKey: 1 }).lean<AgencyDoc[]>().cursor({ batchSize: 2000 })) {
    sets.add(agencyKeys(agency), agency._id);
    agencies++;
  }
  const fields = { agencyId: 1, phoneKeys: 1, agentKey: 1, email: 1, state: 1 };
  for await (const contact of Contact.find({}).select(fields).lean<ContactDoc[]>().cursor({ batchSize: 2000 })) {
    sets.add(contactKeys(contact), contact._id);
    contacts++;
  }
  await writeSets(sets.sets);
  return { agencies, contacts, keys: sets.sets.size };
}

/** Everything else: accounts, queue, audit, signals, suppression entries. */
async function rebuildOtherKeys(): Promise<void> {
  const sets = new Sets();
  for await (const member of Member.find({}).select({ email: 1 }).lean<MemberDoc[]>().cursor({ batchSize: 2000 })) {
    sets.add([memberEmailKey(member.email)], member._id);
  }
  await eachOpenItemKeys((keys, id) => sets.add(keys, id));
  await eachContactEventKey((keys, id) => sets.add(keys, id));
  await writeSets(sets.sets);

  // Votes and confirmations under their pair-derived ids, and each card's lists of who said what.
  const lists = new Map<string, { ratedBy: Types.ObjectId[]; confirmedBy: Types.ObjectId[]; openReportIds: Types.ObjectId[] }>();
  const listOf = (contactId: Types.ObjectId) => {
    const key = String(contactId);
    const l = lists.get(key) ?? { ratedBy: [], confirmedBy: [], openReportIds: [] };
    lists.set(key, l);
    return l;
  };
  for (const [model, idOf, field] of [
    [Rating, ratingId, 'ratedBy'],
    [Confirmation, confirmationId, 'confirmedBy'],
  ] as const) {
    for (const doc of await (model as typeof Rating).find({}).lean<Array<{ _id: Types.ObjectId; contactId: Types.ObjectId; memberId: Types.ObjectId }>>()) {
      listOf(doc.contactId)[field].push(doc.memberId);
      const stable = idOf(doc.contactId, doc.memberId);
      if (doc._id.equals(stable)) continue;
      const collection = (model as typeof Rating).collection;
      await collection.insertOne({ ...doc, _id: stable }).catch((err) => {
        if (!isDuplicateKey(err)) throw err;
      });
      await collection.deleteOne({ _id: doc._id });
    }
  }
  for (const r of await Report.find({ status: 'open' }).select({ contactId: 1 }).lean()) listOf(r.contactId as Types.ObjectId).openReportIds.push(r._id as Types.ObjectId);
  for (const [contactId, l] of lists) await Contact.updateOne({ _id: contactId }, { $set: l }, { timestamps: false });

  // Suppression entries keyed by their hash.
  for (const s of await Suppression.collection.find({}).toArray()) {
    if (s._id === s.hash) continue;
    await Suppression.collection.insertOne({ ...s, _id: s.hash }).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
    await Suppression.collection.deleteOne({ _id: s._id });
  }
}

/** Brings a database written by an earlier version up to DATA_VERSION (once; a no-op afterwards). */
export async function migrateData(say: (line: string) => void = () => undefined): Promise<boolean> {
  const current = (await Setting.findById(VERSION_ID).lean<{ value?: number }>())?.value ?? 0;
  if (current >= DATA_VERSION) return false;
  const started = Date.now();
  if (current < 2 && ((await Contact.estimatedDocumentCount()) > 0 || (await Member.estimatedDocumentCount()) > 0)) {
    say('Mise à jour des index de la base de données (une seule fois)…');
    await rebuildDirectoryKeys();
    await rebuildOtherKeys();
  }
  // 3: agencies have a review state (`pending` until approved); one written without a state is active.
  if (current < 3) await Agency.updateMany({ status: { $exists: false } }, { $set: { status: 'active' } }, { timestamps: false });
  await Setting.updateOne({ _id: VERSION_ID }, { $set: { value: DATA_VERSION } }, { upsert: true });
  log.info({ from: current, to: DATA_VERSION, ms: Date.now() - started }, 'data migrated');
  return true;
}
