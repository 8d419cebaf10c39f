/**
 * Child processes for the embedded services. Each child gets the parent-death
 * signal (util-linux setpriv) so that it never outlives this process, even
 * when this process is killed with SIGKILL; on a normal exit we stop them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { logger } from '../logger';

const log = logger('lifecycle');
const SETPRIV = '/usr/bin/setpriv';
const live = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Last lines the process printed, for error messages. */
  output: string[];
  stop(): Promise<void>;
}

/** Starts a long-running service process bound to this process's lifetime. */
export function spawnService(
  name: string,
  command: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): ServiceProcess {
  const [cmd, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'TERM', '--', command, ...args]]
    : [command, args];
  const child = spawn(cmd, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      log.debug({ service: name }, line);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return {
    name,
    child,
    output,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after a grace period. Resolves when the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function tryConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until something accepts TCP connections on host:port, or fails if the process dies first. */
export async function waitForPort(service: ServiceProcess, host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} s’est arrêté au démarrage :\n${service.output.slice(-15).join('\n')}`);
    }
    if (await tryConnect(host, port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await service.stop();
  throw new Error(`${service.name} n’a pas répondu sur ${host}:${port} en ${timeoutMs / 1000} s :\n${service.output.slice(-15).join('\n')}`);
}
