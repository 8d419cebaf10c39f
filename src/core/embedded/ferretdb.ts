/**
 * The embedded database: FerretDB v1 on SQLite, built once from its Go module
 * through the project's own launcher (tools/ferretdb-launcher) into a cache
 * folder keyed by the launcher's sources, then started on a free loopback port.
 * The build applies the launcher's small patch to the module first
 * (tools/ferretdb-launcher/README.md says what it changes and why).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import getPort from 'get-port';
import { spawnService, waitForPort, type ServiceProcess } from './child';
import { supervise, type Supervisor } from './supervisor';
import { EmbeddedServiceError } from './errors';

const LAUNCHER_FILES = ['main.go', 'go.mod', 'go.sum', 'ferretdb.patch', 'prepare.sh'];

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
  const work = `${binary}.${process.pid}.src`;
  const started = Date.now();
  const output: string[] = [];
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      output.push(line);
      if (/^go: downloading/.test(line)) say(`  ${line.replace('go: downloading', 'téléchargement du module')}`);
    }
  };
  const run = (command: string, args: string[]): Promise<number> => {
    const child = spawn(command, args, {
      cwd: launcherDir(root),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GOFLAGS: '-mod=mod' },
    });
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    return new Promise((resolve) => {
      child.once('error', (err) => {
        output.push(String(err));
        resolve(1);
      });
      child.once('close', (c) => resolve(c ?? 1));
    });
  };
  const heartbeat = setInterval(() => say(`  compilation en cours… (${Math.round((Date.now() - started) / 1000)} s)`), 15_000);
  let code = await run('bash', ['prepare.sh', work]);
  if (code === 0) code = await run('go', ['build', '-trimpath', `-modfile=${join(work, 'launcher.mod')}`, '-o', tmp, '.']);
  clearInterval(heartbeat);
  rmSync(work, { recursive: true, force: true });
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
  /** The launcher running now (the supervisor replaces it after a crash). */
  readonly process: ServiceProcess;
  supervisor: Supervisor;
  /** Intentional stop: the supervisor does not restart it. */
  stop(): Promise<void>;
}

/**
 * Starts FerretDB with SQLite files under `dir` and returns its MongoDB URL.
 * The launcher is supervised: if it exits unexpectedly it is started again on
 * the same port with the same files (the driver reconnects by itself).
 */
export async function startFerretDB(opts: { root: string; cacheDir: string; dir: string; dbName: string; port?: number; say: Say }): Promise<EmbeddedDatabase> {
  const binary = await ensureFerretBinary(opts.root, opts.cacheDir, opts.say);
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const port = opts.port ?? (await getPort({ host: '127.0.0.1' }));
  const launch = async () => {
    const proc = spawnService('FerretDB', binary, [
      `--listen-addr=127.0.0.1:${port}`,
      `--sqlite-dir=${opts.dir}`,
      `--parent-pid=${process.pid}`,
    ]);
    await waitForPort(proc, '127.0.0.1', port, 30_000);
    return proc;
  };
  const supervisor = supervise(await launch(), launch, `FerretDB:${port}`, opts.say);
  return {
    url: `mongodb://127.0.0.1:${port}/${opts.dbName}`,
    port,
    get process() {
      return supervisor.current();
    },
    supervisor,
    stop: () => supervisor.stop(),
  };
}
