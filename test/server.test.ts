import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../src/config';
import { productionAllocatorEnv, productionCommand, productionNodeFlags } from '../tools/production-command.mjs';

const dockerCommand = (): string[] => productionCommand(config.paths.root);

const METRICS_TOKEN = 'm'.repeat(32);

/** Direct children of `pid` with their command names. */
function childrenOf(pid: number): Array<{ pid: number; name: string }> {
  try {
    return execFileSync('pgrep', ['-l', '-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [p, name] = line.split(' ');
        return { pid: Number(p), name };
      });
  } catch {
    return [];
  }
}

function serviceNames(children: Array<{ name: string }>): string[] {
  return children.map((c) => c.name).filter((n) => /ferretdb|meilisearch/.test(n)).sort();
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** Starts the Dockerfile's CMD (the built server) on its own embedded services; resolves once it says it is ready. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number; output: string[] }> {
  const [node, ...args] = dockerCommand();
  expect(node).to.equal('node');
  const child = spawn(process.execPath, args, {
    cwd: config.paths.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', METRICS_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const ready = /prête en [\d.]+ s : http:\/\/localhost:(\d+)/.exec(output.join(''));
      if (ready) resolve({ child, port: Number(ready[1]), output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output.join('')}`)));
  });
}

describe('server', () => {
  let dataDir: string;

  before(function () {
    this.timeout(60_000);
    // What the image's build stage does; the server below then runs without tsx.
    execFileSync(process.execPath, ['tools/build.mjs'], { cwd: config.paths.root, stdio: 'ignore' });
  });

  it('runs built JavaScript in the Docker image, without a TypeScript loader', () => {
    const [node, ...args] = dockerCommand();

    expect(node).to.equal('node');
    expect(args.join(' ')).to.not.match(/tsx|--import|--loader|\.ts\b/);
    expect(args.at(-1)).to.match(/^dist\/[\w-]+\.js$/);
    expect(existsSync(join(config.paths.root, args.at(-1)!))).to.equal(true);
  });

  it('starts with the same V8 flags and allocator settings under npm start as in the Docker image', () => {
    const pkg = JSON.parse(readFileSync(join(config.paths.root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const flags = productionNodeFlags(config.paths.root);
    const allocator = productionAllocatorEnv(config.paths.root);
    const [assignment, ...start] = pkg.scripts.start.split(/\s+/);

    expect(flags).to.include('--heap-growing-percent=40');
    expect(assignment).to.equal(`GLIBC_TUNABLES=${allocator.GLIBC_TUNABLES}`);
    expect(start[0]).to.equal('node');
    expect(start.filter((a) => a.startsWith('--'))).to.deep.equal(flags);
    // Flags a node binary does not know stop it at once: check these are real.
    expect(execFileSync(process.execPath, [...flags, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).to.equal('ok');
    // A misspelt tunable is ignored without a word: ask glibc's loader what it knows and applied.
    const applied = execFileSync('/lib64/ld-linux-x86-64.so.2', ['--list-tunables'], { encoding: 'utf8', env: { ...allocator } });
    const settings = allocator.GLIBC_TUNABLES!.split(':').map((t) => t.split('='));
    expect(settings.map(([name]) => name)).to.deep.equal(['glibc.malloc.arena_max', 'glibc.malloc.mmap_threshold']);
    for (const [name, value] of settings) expect(applied).to.include(`\n${name}: 0x${Number(value).toString(16)} `);
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ligne-directe-server-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /health on its embedded services and stops everything on SIGTERM', async function () {
    this.timeout(120_000);
    const { child, port } = await startServer(dataDir);
    const services = childrenOf(child.pid!);

    const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json());
    const anonymous = await fetch(`http://127.0.0.1:${port}/metrics`);
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const exposition = await metrics.text();
    const exitCode = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');

    expect(health).to.deep.equal({ status: 'ok', database: 'ok', search: 'ok' });
    expect(anonymous.status).to.equal(401);
    expect(metrics.status).to.equal(200);
    expect(exposition).to.match(/^ld_http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} 1$/m);
    expect(exposition).to.match(/^ld_process_resident_memory_bytes \d+/m);
    expect(serviceNames(services)).to.deep.equal(['ferretdb-launch', 'meilisearch']);
    expect(await exitCode).to.equal(0);
    expect(await waitFor(() => services.every((c) => !alive(c.pid)), 10_000), 'no child process left').to.equal(true);
  });

  it('leaves no orphan process when it is killed with SIGKILL', async function () {
    this.timeout(120_000);
    const { child } = await startServer(dataDir);
    const services = childrenOf(child.pid!);

    child.kill('SIGKILL');

    expect(serviceNames(services)).to.deep.equal(['ferretdb-launch', 'meilisearch']);
    expect(await waitFor(() => services.every((c) => !alive(c.pid)), 10_000), 'no child process left').to.equal(true);
  });
});
