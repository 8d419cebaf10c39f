/**
 * Sends mail through real SMTP with nodemailer. In development and tests the
 * SMTP server is the in-process catcher (mail-catcher.ts); in production it
 * is SMTP_URL. Mail is plain French text: readable everywhere, nothing remote.
 */
import type { Transporter } from 'nodemailer';
import { config } from '../config';
import { logger } from '../core/logger';
import { mailsTotal } from '../core/metrics';

const log = logger('mail');
let smtp: string | undefined;
let transport: Promise<Transporter> | undefined;

/**
 * Records the SMTP server. nodemailer itself is loaded by the first message:
 * most requests send none, and the server should not carry it from start
 * (docs/benchmarks.md, « Memory »).
 */
export function connectMailer(smtpUrl: string): void {
  smtp = smtpUrl;
  transport = undefined;
}

export function disconnectMailer(): void {
  const open = transport;
  smtp = undefined;
  transport = undefined;
  void open?.then((t) => t.close(), () => undefined);
}

function transporter(): Promise<Transporter> {
  const url = smtp;
  if (!url) return Promise.reject(new Error('mailer not connected'));
  if (!transport) {
    const opening = import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(url, { from: config.mail.from }));
    // A failed load is not kept: the next message tries again.
    opening.catch(() => {
      if (transport === opening) transport = undefined;
    });
    transport = opening;
  }
  return transport;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Extra headers (List-Unsubscribe for campaigns). */
  headers?: Record<string, string>;
}

const SIGNATURE = `\n\n—\nLigne directe, annuaire associatif réservé aux professionnel·les de l’action sociale.\n${config.http.baseUrl}\n`;

/** Sends one message; throws when the SMTP server refuses it. */
export async function sendMail(mail: Mail): Promise<void> {
  const open = await transporter();
  try {
    await open.sendMail({ to: mail.to, subject: mail.subject, text: `${mail.text}${SIGNATURE}`, ...(mail.headers ? { headers: mail.headers } : {}) });
  } catch (err) {
    mailsTotal.inc({ result: 'failed' });
    throw err;
  }
  mailsTotal.inc({ result: 'sent' });
  log.info({ subject: mail.subject }, 'mail sent');
}

/** Whether a send failed because the receiving server refused the address for good (SMTP 5xx): a bounce. */
export function isPermanentRejection(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Absolute link for a mail. */
export function link(path: string): string {
  return `${config.http.baseUrl}${path}`;
}
