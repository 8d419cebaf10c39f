/** Mongoose connection, model initialisation and a bounded ping for /health. */
import mongoose from 'mongoose';
import { logger } from './logger';

const log = logger('db');

// FerretDB has no transactions and mishandles unacknowledged writes; fail fast
// instead of buffering when the database is away, so pages answer 503 quickly.
mongoose.set('strictQuery', true);

/** Connects and waits for every registered model's indexes, failing loudly. */
export async function connectDatabase(url: string): Promise<void> {
  await mongoose.connect(url, {
    serverSelectionTimeoutMS: 3000,
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
  const ping = db.admin().command({ ping: 1 }, { timeoutMS: timeoutMs }).then(() => true, () => false);
  const ok = await Promise.race([ping, timeout]);
  clearTimeout(timer);
  return ok;
}
