/**
 * Runs the daily jobs from inside the app: every hour each instance checks
 * whether a job's last run is older than a day and, if it takes the job's
 * lease, runs it. Several instances never run the same job at once.
 */
import { logger } from '../core/logger';
import { runAgentCampaign } from './agent-campaign';
import { runFreshness } from './freshness';
import { acquireLease, lastRun } from './lease';
import { runRankDecay } from './rank';
import { runDigest } from '../moderation/moderation.service';
import { runMyContactsAlerts } from './my-contacts-alerts';

const log = logger('jobs');
const DAY = 24 * 3600 * 1000;

export const DAILY_JOBS: Record<string, (now: Date) => Promise<unknown>> = {
  freshness: runFreshness,
  rank: runRankDecay,
  digest: runDigest,
  // Daily, but each member gets at most one mail a week (my-contacts-alerts.ts).
  'my-contacts-alerts': runMyContactsAlerts,
  'agent-campaign': (now) => runAgentCampaign(now),
};

/** Runs `name` under its lease; returns false when another instance holds it. */
export async function runJob(name: string, now = new Date()): Promise<boolean> {
  const job = DAILY_JOBS[name];
  if (!job) throw new Error(`unknown job ${name}`);
  const release = await acquireLease(`job:${name}`, 60 * 60 * 1000, now);
  if (!release) return false;
  try {
    await job(now);
  } finally {
    await release();
  }
  return true;
}

async function tick(): Promise<void> {
  for (const name of Object.keys(DAILY_JOBS)) {
    const last = await lastRun(`job:${name}`);
    if (last && Date.now() - last.getTime() < DAY) continue;
    await runJob(name).catch((err) => log.warn({ err, name }, 'job failed'));
  }
}

export function scheduleDailyJobs(): () => void {
  const run = () => void tick().catch((err) => log.warn({ err }, 'scheduler tick failed'));
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, 60 * 60 * 1000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
