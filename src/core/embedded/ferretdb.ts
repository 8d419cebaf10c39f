/**
 * The embedded database: FerretDB v1 on SQLite, built once from its Go module
 * through the project's own launcher (tools/ferretdb-launcher) into a cache
 * folder keyed by the launcher's sources, then started on a free loopback port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import getPort from 'get-port';
import { spawnService, waitForPort, type ServiceProcess } from './child';
import { EmbeddedServiceError } from './errors';

const LAUNCHER_FILES = ['main.go', 'go.mod', 'go.sum'];

export { EmbeddedServiceError };

export const GO_MISSING_MESSAGE = [
  'Impossible de préparer la base de données embarquée : la commande « go » est introuvable.',
  'Deux solutions :',
  '  1. installer Go (1.24 ou plus récent, https://go.dev/doc/install) puis relancer « npm start » ;',
  '  2. ou utiliser un serveur MongoDB existant : MONGODB_URL=mongodb://127.0.0.1:27017/ligne-directe npm start',
  '     (par exemple avec « docker compose up -d mongo »).',
].join('\n');

function launcherDir(root: string): string {
  return join(root, 'tools', 'ferretdb-launcher');
}

/** Path of the cached binary for the launcher sources as they are now. */
export function ferretBinaryPath(root: string, cacheDir: string): string {
  const hash = createHash('sha256');
  for (const f of LAUNCHER_FILES) hash.update(readFileSync(join(launcherDir(root), f)));
  return join(cacheDir, 'ferretdb', hash.digest('hex').slice(0, 16), 'ferretdb-launcher');
}

type Say = (line: string) => void;

/** Builds the launcher unless a binary for the same sources is cached. Returns its path. */
export async function ensureFerretBinary(root: string, cacheDir: string, say: Say): Promise<string> {
  const binary = ferretBinaryPath(root, cacheDir);
  if (existsSync(binary)) return binary;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error) throw new EmbeddedServiceError(GO_MISSING_MESSAGE);

  say(`Premier démarrage : compilation de la base de données embarquée (FerretDB 1.24.2) avec ${go.stdout.trim()}.`);
  say('Cela prend quelques minutes une seule fois ; les démarrages suivants réutiliseront le binaire.');
  mkdirSync(join(binary, '..'), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  const started = Date.now();
  const build = spawn('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: launcherDir(root),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GOFLAGS: '-mod=mod' },
  });
  const output: string[] = [];
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line);
      if (/^go: downloading/.test(line)) say(`  ${line.replace('go: downloading', 'téléchargement du module')}`);
    }
  };
  build.stdout.on('data', relay);
  build.stderr.on('data', relay);
  const heartbeat = setInterval(() => say(`  compilation en cours… (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
  const code: number = await new Promise((resolve) => build.once('close', (c) => resolve(c ?? 1)));
  clearInterval(heartbeat);
  if (code !== 0) {
    rmSync(tmp, { force: true });
    throw new EmbeddedServiceError(
      `La compilation de FerretDB a échoué (code ${code}) :\n${output.slice(-20).join('\n')}\n` +
        'Vous pouvez aussi utiliser un serveur MongoDB existant avec MONGODB_URL.',
    );
  }
  renameSync(tmp, binary);
  say(`Base de données embarquée compilée en ${Math.round((Date.now() - started) / 1000)} s.`);
  return binary;
}

export interface EmbeddedDatabase {
  url: string;
  port: number;
  process: ServiceProcess;
  stop(): Promise<void>;
}

/** Starts FerretDB with SQLite files under `dir` and returns its MongoDB URL. */
export async function startFerretDB(opts: { root: string; cacheDir: string; dir: string; dbName: string; port?: number; say: Say }): Promise<EmbeddedDatabase> {
  const binary = await ensureFerretBinary(opts.root, opts.cacheDir, opts.say);
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const port = opts.port ?? (await getPort({ host: '127.0.0.1' }));
  const proc = spawnService('FerretDB', binary, [
    `--listen-addr=127.0.0.1:${port}`,
    `--sqlite-dir=${opts.dir}`,
    `--parent-pid=${process.pid}`,
  ]);
  await waitForPort(proc, '127.0.0.1', port, 30_000);
  return { url: `mongodb://127.0.0.1:${port}/${opts.dbName}`, port, process: proc, stop: () => proc.stop() };
}
