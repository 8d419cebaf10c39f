import { expect } from 'chai';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config } from '../src/config';

/** Pids of the direct children of `pid` (empty when none). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
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

/** Starts `src/server.ts` on its own embedded services and resolves once it prints that it is ready. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number; output: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: config.paths.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
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

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ligne-directe-server-'));
  });

  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves /health on its embedded services and stops everything on SIGTERM', async function () {
    this.timeout(120_000);
    const { child, port } = await startServer(dataDir);
    const services = childrenOf(child.pid!);

    const health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.json());
    const exitCode = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');

    expect(health).to.deep.equal({ status: 'ok', database: 'ok', search: 'ok' });
    expect(services).to.have.length(2);
    expect(await exitCode).to.equal(0);
    expect(await waitFor(() => services.every((pid) => !alive(pid)), 10_000), 'no service process left').to.equal(true);
  });

  it('leaves no orphan process when it is killed with SIGKILL', async function () {
    this.timeout(120_000);
    const { child } = await startServer(dataDir);
    const services = childrenOf(child.pid!);

    child.kill('SIGKILL');

    expect(services).to.have.length(2);
    expect(await waitFor(() => services.every((pid) => !alive(pid)), 10_000), 'no service process left').to.equal(true);
  });
});
