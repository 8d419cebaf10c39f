/**
 * Structured logging (pino). Every line carries the request id when there is
 * one. Passwords, e-mails, phone numbers and cookies are redacted both by key
 * and inside free-text messages: listed agents are real people.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { config } from '../config';
import { currentContext } from './request-context';

export type LogCategory =
  | 'http'
  | 'auth'
  | 'members'
  | 'contacts'
  | 'agents'
  | 'moderation'
  | 'search'
  | 'signals'
  | 'mail'
  | 'db'
  | 'jobs'
  | 'lifecycle'
  | 'security';

const REDACTED = '[masqué]';
const SENSITIVE_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'email',
  'phone',
  'phones',
  'cookie',
  'token',
  'authorization',
  'firstName',
  'lastName',
  'agentName',
];
const redactPaths = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
// French-style and international phone numbers written in text.
const PHONE_RE = /(?:\+\d{1,3}[\s.-]?)?(?:\(0\)[\s.-]?)?\d(?:[\s.-]?\d){8,}/g;

/** Masks e-mail addresses and phone numbers inside a free-text string. */
export function scrubText(text: string): string {
  return text.replace(EMAIL_RE, REDACTED).replace(PHONE_RE, REDACTED);
}

/** Lines written while NODE_ENV=test (unless LOG_CAPTURE=false), so that tests can assert what was (not) logged. */
export const capturedLogLines: string[] = [];
const MAX_CAPTURED = 20_000;

function destination() {
  if (config.log.capture) {
    return new Writable({
      write(chunk, _enc, cb) {
        capturedLogLines.push(String(chunk));
        if (capturedLogLines.length > MAX_CAPTURED) capturedLogLines.splice(0, MAX_CAPTURED / 2);
        cb();
      },
    });
  }
  if (config.log.pretty && process.stdout.isTTY) {
    return pino.transport({ target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } });
  }
  return pino.destination(1);
}

export const rootLogger = pino(
  {
    level: config.log.level,
    base: undefined,
    redact: { paths: redactPaths, censor: REDACTED },
    mixin() {
      const ctx = currentContext();
      if (!ctx) return {};
      return ctx.actorId ? { reqId: ctx.requestId, actorId: ctx.actorId } : { reqId: ctx.requestId };
    },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((a) => (typeof a === 'string' ? scrubText(a) : a));
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
    serializers: { err: pino.stdSerializers.err },
  },
  destination(),
);

/** A logger for one category of events. */
export function logger(category: LogCategory) {
  return rootLogger.child({ cat: category });
}
