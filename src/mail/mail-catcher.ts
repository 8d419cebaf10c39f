/**
 * In-process SMTP server for development and tests: it accepts every message
 * on a loopback port and keeps the last ones in memory, so the real nodemailer
 * SMTP path is exercised and messages can be read (/dev/mails, tests).
 * Like a real receiving server it refuses, with a permanent 550, addresses in
 * the reserved `.invalid` top-level domain (RFC 2606): how tests make a bounce.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: number;
  to: string[];
  from: string;
  subject: string;
  text: string;
  /** Lower-case header names → raw values (unfolded as received). */
  headers: Record<string, string>;
  receivedAt: Date;
}

const MAX_KEPT = 200;
const kept: CaughtMail[] = [];
let counter = 0;
let server: SMTPServer | undefined;
const waiters = new Set<() => void>();

/** Starts the catcher on a free loopback port and returns its smtp:// URL. */
export async function startMailCatcher(): Promise<string> {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    banner: 'Ligne directe mail catcher',
    logger: false,
    onRcptTo(address, _session, callback) {
      if (/\.invalid$/i.test(address.address)) {
        return callback(Object.assign(new Error('5.1.1 Adresse inconnue'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
          kept.push({
            id: ++counter,
            to,
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            headers: Object.fromEntries(parsed.headerLines.map((h) => [h.key.toLowerCase(), h.line.slice(h.line.indexOf(':') + 1).trim()])),
            receivedAt: new Date(),
          });
          if (kept.length > MAX_KEPT) kept.shift();
          for (const wake of waiters) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server!.once('error', reject);
    server!.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return `smtp://127.0.0.1:${port}`;
}

export async function stopMailCatcher(): Promise<void> {
  const s = server;
  server = undefined;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
}

/** Newest first. */
export function caughtMails(): CaughtMail[] {
  return [...kept].reverse();
}

export function clearCaughtMails(): void {
  kept.length = 0;
}

/** Resolves with the newest mail to `address` matching `subject`, waiting up to `timeoutMs`. */
export async function waitForMail(address: string, subject?: RegExp, timeoutMs = 5000): Promise<CaughtMail> {
  const find = () => caughtMails().find((m) => m.to.includes(address.toLowerCase()) && (!subject || subject.test(m.subject)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`no mail to ${address}${subject ? ` matching ${subject}` : ''} within ${timeoutMs} ms`);
    await new Promise<void>((resolve) => {
      const wake = () => {
        waiters.delete(wake);
        resolve();
      };
      waiters.add(wake);
      setTimeout(wake, Math.min(left, 200));
    });
  }
}
