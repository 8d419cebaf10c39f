/**
 * The search outbox: one small document per contact or agency whose search
 * document must be pushed again, keyed `c:<id>` / `a:<id>`. Writers mark it
 * before they write (a crash then leaves an extra push, never a lost one); the
 * sync worker deletes an entry only if nobody marked it again while it pushed
 * (`seq`). It stays as small as the backlog, so the reconciler can read all of
 * it without scanning the contacts (docs/data-access.md).
 */
import { model, Schema, Types } from 'mongoose';
import { isDuplicateKey } from '../core/db';

const outboxSchema = new Schema(
  {
    _id: { type: String, required: true },
    seq: { type: Number, default: 0 },
    at: { type: Date, required: true },
  },
  { collection: 'search_outbox', versionKey: false },
);

export const SearchOutbox = model('SearchOutbox', outboxSchema);

export type OutboxKind = 'c' | 'a';
export interface OutboxEntry {
  _id: string;
  seq: number;
}

const WRITE_CHUNK = 50;

export const outboxKey = (kind: OutboxKind, id: Types.ObjectId | string) => `${kind}:${id}`;
export const outboxObjectId = (key: string) => new Types.ObjectId(key.slice(2));

/**
 * The outbox's keys as search's read-side guard needs them on every result page
 * (markedContacts): one read of every key at most every SNAPSHOT_MS, shared by
 * the requests in between, and forgotten once this process has written a mark,
 * so a write made here is seen by the next search here (a read begun before is
 * not reused). A mark written by another instance shows within SNAPSHOT_MS
 * (docs/search.md « Read-side guard »).
 */
const SNAPSHOT_MS = 250;
/** Past this many keys (an engine outage's backlog), each page asks the outbox for its own hits instead. */
const SNAPSHOT_MAX_KEYS = 2000;
/** `keys` resolves to undefined when the outbox is too large to copy. */
let snapshot: { at: number; keys: Promise<Set<string> | undefined> } | undefined;

function outboxKeys(): Promise<Set<string> | undefined> {
  if (!snapshot || Date.now() - snapshot.at >= SNAPSHOT_MS) {
    const entry = {
      at: Date.now(),
      keys: SearchOutbox.find({})
        .select({ _id: 1 })
        .limit(SNAPSHOT_MAX_KEYS + 1)
        .lean<Array<{ _id: string }>>()
        .then((docs) => (docs.length > SNAPSHOT_MAX_KEYS ? undefined : new Set(docs.map((d) => d._id)))),
    };
    // A failed read is not kept: the next search tries again.
    entry.keys.catch(() => {
      if (snapshot === entry) snapshot = undefined;
    });
    snapshot = entry;
  }
  return snapshot.keys;
}

/** Which of these contacts still have a mark, i.e. may be newer in the database than in the engine. */
export async function markedContacts(ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const keys = await outboxKeys();
  if (keys) return new Set(ids.filter((id) => keys.has(outboxKey('c', id))));
  return new Set((await readOutbox('c', ids)).map((e) => e._id.slice(2)));
}

/** Marks documents for the sync worker (before writing them). */
export async function markForSearch(kind: OutboxKind, ids: Array<Types.ObjectId | string>): Promise<void> {
  try {
    await writeMarks(kind, ids);
  } finally {
    snapshot = undefined;
  }
}

async function writeMarks(kind: OutboxKind, ids: Array<Types.ObjectId | string>): Promise<void> {
  const keys = [...new Set(ids.map((id) => outboxKey(kind, id)))];
  const at = new Date();
  for (let i = 0; i < keys.length; i += WRITE_CHUNK) {
    await SearchOutbox.bulkWrite(
      keys.slice(i, i + WRITE_CHUNK).map((key) => ({ updateOne: { filter: { _id: key }, update: { $inc: { seq: 1 }, $set: { at } }, upsert: true } })),
      { ordered: false },
    ).catch(async (err) => {
      // Two first markers of one key: the losing insert is retried as an update.
      if (!isDuplicateKey(err)) throw err;
      for (const key of keys.slice(i, i + WRITE_CHUNK)) await SearchOutbox.updateOne({ _id: key }, { $inc: { seq: 1 }, $set: { at } }, { upsert: true });
    });
  }
}

/** Entries of a kind: the given ids' (an `_id` lookup), or the oldest `limit` of the whole outbox. */
export async function readOutbox(kind: OutboxKind, ids?: Array<Types.ObjectId | string>, limit = 1000): Promise<OutboxEntry[]> {
  if (ids) {
    if (!ids.length) return [];
    return SearchOutbox.find({ _id: { $in: ids.map((id) => outboxKey(kind, id)) } }).lean<OutboxEntry[]>();
  }
  const all = await SearchOutbox.find({}).limit(limit * 2).lean<Array<OutboxEntry & { at: Date }>>();
  return all.filter((e) => e._id.startsWith(`${kind}:`)).slice(0, limit);
}

/** Deletes entries that were not marked again since they were read. */
export async function clearOutbox(entries: OutboxEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += WRITE_CHUNK) {
    await SearchOutbox.bulkWrite(
      entries.slice(i, i + WRITE_CHUNK).map((e) => ({ deleteOne: { filter: { _id: e._id, seq: e.seq } } })),
      { ordered: false },
    );
  }
}

export async function outboxSize(): Promise<{ contacts: number; agencies: number }> {
  const all = await SearchOutbox.find({}).select({ _id: 1 }).lean<Array<{ _id: string }>>();
  return { contacts: all.filter((e) => e._id.startsWith('c:')).length, agencies: all.filter((e) => e._id.startsWith('a:')).length };
}
