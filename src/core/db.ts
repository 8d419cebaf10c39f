/**
 * Mongoose connection, model initialisation, deadlines and a bounded ping for
 * the health probes. See docs/resilience.md for the deadline figures.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import mongoose, { type Schema } from 'mongoose';
import { logger } from './logger';

const log = logger('db');

// FerretDB has no transactions and mishandles unacknowledged writes; fail fast
// instead of buffering when the database is away, so pages answer 503 quickly.
mongoose.set('strictQuery', true);

/**
 * Every command gets a client-side deadline, so a database that is stopped or
 * frozen (SIGSTOP: the socket stays open and silent) turns into a 503 page
 * within seconds instead of a hanging request. A frozen server is noticed by
 * the monitor (heartbeat every 2 s, answer within connectTimeoutMS), which
 * then interrupts the commands in flight; `socketTimeoutMS` is the ceiling for
 * one reply from a server that still answers heartbeats; the others bound
 * finding the server, opening a connection and waiting for a free one.
 */
export const REQUEST_DEADLINES = {
  serverSelectionTimeoutMS: 2500,
  connectTimeoutMS: 2500,
  socketTimeoutMS: 10_000,
  waitQueueTimeoutMS: 2500,
} as const;

/** Reindex, seeds and background jobs read whole collections: they get this instead. */
export const LONG_SOCKET_TIMEOUT_MS = 120_000;

const longScope = new AsyncLocalStorage<number>();

/**
 * Runs `fn` with the long per-command deadline for every Mongoose query,
 * aggregate and bulk write it starts, including from timers it sets up
 * (background jobs inside the app). A frozen database still fails them
 * within seconds: the driver's monitor then clears the pool.
 */
export function withLongDeadline<T>(fn: () => T, ms = LONG_SOCKET_TIMEOUT_MS): T {
  return longScope.run(ms, fn);
}

const QUERY_OPS = [
  'countDocuments', 'deleteMany', 'deleteOne', 'distinct', 'estimatedDocumentCount', 'find', 'findOne',
  'findOneAndDelete', 'findOneAndReplace', 'findOneAndUpdate', 'replaceOne', 'updateMany', 'updateOne',
] as const;

function longDeadlinePlugin(schema: Schema): void {
  schema.pre([...QUERY_OPS], function (this: mongoose.Query<unknown, unknown>) {
    const ms = longScope.getStore();
    if (ms) this.setOptions({ socketTimeoutMS: ms } as mongoose.QueryOptions);
  });
  schema.pre('aggregate', function (this: mongoose.Aggregate<unknown>) {
    const ms = longScope.getStore();
    if (ms) (this.options as Record<string, unknown>).socketTimeoutMS = ms;
  });
  // Mongoose 9 passes (ops, options) and no callback; `options` is always an object here.
  schema.pre('bulkWrite', function (_ops: unknown, options?: Record<string, unknown>) {
    const ms = longScope.getStore();
    if (ms && options) options.socketTimeoutMS = ms;
  } as never);
}
mongoose.plugin(longDeadlinePlugin);

/**
 * Connects and waits for every registered model's indexes, failing loudly.
 * Command-line tools pass the long socket deadline.
 */
export async function connectDatabase(url: string, opts: { socketTimeoutMS?: number; monitorCommands?: boolean } = {}): Promise<void> {
  await mongoose.connect(url, {
    ...REQUEST_DEADLINES,
    // Tests watch every command to prove no request scans a collection (test/core/no-scan.test.ts).
    monitorCommands: false,
    ...opts,
    heartbeatFrequencyMS: 2000,
    bufferCommands: false,
    autoIndex: true,
    autoCreate: true,
  });
  await initModels();
  log.info({ models: Object.keys(mongoose.models).length }, 'database connected');
}

/**
 * Awaits Model.init() for every model: Mongoose swallows index build errors
 * by default, and an index FerretDB cannot build must stop start-up.
 */
export async function initModels(): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    try {
      await model.init();
    } catch (err) {
      throw new Error(`Index impossible à créer pour « ${model.modelName} » : ${(err as Error).message}`, { cause: err });
    }
  }
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** True when the database answers a ping within `timeoutMs`. Never throws, never hangs. */
export async function pingDatabase(timeoutMs = 800): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected || !db) return false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = db.admin().command({ ping: 1 }, { socketTimeoutMS: timeoutMs } as never).then(() => true, () => false);
  const ok = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return ok;
}

/** True for the duplicate-key error of a unique index (E11000): a concurrent writer got there first. */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | undefined)?.code === 11000;
