/**
 * Housekeeping that FerretDB's missing TTL indexes leave to us: expired
 * sessions, tokens, agents' links, rate-limit and daily counters, and security events past their
 * 12-month retention. Idempotent; safe on several instances at once.
 */
import { purgeExpiredAgentLinks } from '../agents/agents.service';
import { purgeExpiredSessions } from '../core/session';
import { deleteExpiredCounters } from '../core/counters';
import { logger } from '../core/logger';
import { purgeExpiredDrafts } from '../imports/imports.service';
import { purgeExpiredTokens } from '../members/members.service';
import { purgeExpiredLimits } from '../security/rate-limit';
import { purgeOldSecurityEvents } from '../security/security-log';

const log = logger('jobs');
export const CLEANUP_INTERVAL_MS = 15 * 60 * 1000;

export async function runCleanup(now = new Date()) {
  const result = {
    sessions: await purgeExpiredSessions(now),
    tokens: await purgeExpiredTokens(now),
    rateLimits: await purgeExpiredLimits(now),
    counters: await deleteExpiredCounters(now),
    importDrafts: await purgeExpiredDrafts(now),
    securityEvents: await purgeOldSecurityEvents(now),
    agentLinks: await purgeExpiredAgentLinks(now),
  };
  log.info(result, 'cleanup done');
  return result;
}

/** Runs the clean-up now and every 15 minutes; returns a function that stops the timer. */
export function scheduleCleanup(): () => void {
  const run = () => void runCleanup().catch((err) => log.warn({ err }, 'cleanup failed'));
  run();
  const timer = setInterval(run, CLEANUP_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
