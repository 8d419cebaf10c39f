import { expect } from 'chai';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../../src/config';

const TOOL = join(config.paths.root, 'tools', 'compose-check');

/** tools/compose-check built once per version of its sources into CACHE_DIR (like the FerretDB launcher). */
function composeCheck(): string {
  const hash = createHash('sha256');
  for (const f of ['main.go', 'go.mod', 'go.sum']) hash.update(readFileSync(join(TOOL, f)));
  const binary = join(config.paths.cache, 'compose-check', hash.digest('hex').slice(0, 16), 'compose-check');
  if (existsSync(binary)) return binary;
  mkdirSync(join(binary, '..'), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  const build = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], { cwd: TOOL, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (build.status !== 0) throw new Error(`go build of tools/compose-check failed: ${build.error?.message ?? build.stderr}`);
  renameSync(tmp, binary);
  return binary;
}

interface Service {
  image?: string;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  tmpfs?: string[];
  environment?: Record<string, string | null>;
  healthcheck?: { test?: string[] };
  deploy?: { resources?: { limits?: { memory?: string; cpus?: number; pids?: number } } };
  volumes?: Array<{ type: string; source: string; target: string; read_only?: boolean }>;
}

function load(file: string, envFile: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(composeCheck(), ['-f', file, '-env-file', envFile], { maxBuffer: 8 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('docker-compose.yml', () => {
  let services: Record<string, Service>;
  let volumes: Record<string, unknown>;
  let dir: string;

  before(async function () {
    this.timeout(10 * 60_000); // the first run downloads and compiles the Compose loader
    dir = mkdtempSync(join(tmpdir(), 'ligne-directe-compose-'));
    const res = await load(join(config.paths.root, 'docker-compose.yml'), join(config.paths.root, '.env.example'));
    expect(res.code, res.stderr).to.equal(0);
    ({ services, volumes } = JSON.parse(res.stdout) as { services: Record<string, Service>; volumes: Record<string, unknown> });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is valid for the Compose specification loader with .env.example as its environment', () => {
    expect(Object.keys(services).sort()).to.deep.equal(['app', 'backup', 'meilisearch', 'mongo']);
  });

  it('is rejected by the same loader when a key is unknown or a required variable is missing', async () => {
    const bogus = join(dir, 'bogus.yml');
    writeFileSync(bogus, 'services:\n  x:\n    image: alpine\n    read_onyl: true\n');
    const missing = join(dir, 'missing.env');
    writeFileSync(missing, 'SESSION_SECRET=x\n');

    const unknownKey = await load(bogus, missing);
    const noPasswords = await load(join(config.paths.root, 'docker-compose.yml'), missing);

    expect(unknownKey.code).to.not.equal(0);
    expect(unknownKey.stderr).to.include('read_onyl');
    expect(noPasswords.code).to.not.equal(0);
    expect(noPasswords.stderr).to.match(/MONGO_\w+/);
  });

  it('runs every service read-only, without capabilities or privilege escalation, within limits', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.read_only, name).to.equal(true);
      expect(s.cap_drop, name).to.deep.equal(['ALL']);
      expect(s.security_opt, name).to.include('no-new-privileges:true');
      expect(
        s.tmpfs?.some((t) => t.startsWith('/tmp:')),
        `${name} has a tmpfs /tmp`,
      ).to.equal(true);
      const limits = s.deploy?.resources?.limits;
      expect(Number(limits?.memory), `${name} memory limit`).to.be.greaterThan(0);
      expect(limits?.cpus, `${name} cpu limit`).to.be.greaterThan(0);
      expect(limits?.pids, `${name} pids limit`).to.be.greaterThan(0);
      expect(s.healthcheck?.test?.length, `${name} healthcheck`).to.be.greaterThan(0);
    }
  });

  it('turns MongoDB authentication on and connects the app as its own user', () => {
    const mongo = services.mongo;
    const app = services.app;

    expect(mongo.environment?.MONGO_INITDB_ROOT_USERNAME).to.equal('root');
    expect(mongo.environment?.MONGO_INITDB_ROOT_PASSWORD).to.equal('CHANGE_ME');
    expect(mongo.volumes?.find((v) => v.target === '/docker-entrypoint-initdb.d')?.read_only).to.equal(true);
    expect(existsSync(join(config.paths.root, 'deploy', 'mongo-init', 'create-app-user.js'))).to.equal(true);
    expect(app.environment?.MONGODB_URL).to.equal('mongodb://ligne-directe:CHANGE_ME@mongo:27017/ligne-directe?authSource=ligne-directe');
  });

  it('probes the app on /health/ready, in Compose and in the image', () => {
    const dockerfile = readFileSync(join(config.paths.root, 'Dockerfile'), 'utf8');

    expect(services.app.healthcheck?.test?.join(' ')).to.include('/health/ready');
    expect(/^HEALTHCHECK[\s\S]*?CMD .*$/m.exec(dockerfile)?.[0]).to.include('/health/ready');
  });

  it('backs the database up on a schedule into its own volume', () => {
    const backup = services.backup;

    expect(backup.volumes?.find((v) => v.target === '/backup')).to.include({ type: 'volume', source: 'backups' });
    expect(volumes).to.have.property('backups');
    expect(backup.environment?.BACKUP_INTERVAL_HOURS).to.equal('24');
    const loop = readFileSync(join(config.paths.root, 'deploy', 'backup', 'backup-loop.sh'), 'utf8');
    expect(loop).to.include('mongodump');
    expect(readFileSync(join(config.paths.root, 'deploy', 'backup', 'restore.sh'), 'utf8')).to.include('mongorestore');
  });
});
