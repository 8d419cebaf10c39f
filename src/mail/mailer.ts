/**
 * Sends mail through real SMTP with nodemailer. In development and tests the
 * SMTP server is the in-process catcher (mail-catcher.ts); in production it
 * is SMTP_URL. Mail is plain French text: readable everywhere, nothing remote.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { config } from '../config';
import { logger } from '../core/logger';
import { mailsTotal } from '../core/metrics';

const log = logger('mail');
let transport: Transporter | undefined;

export function connectMailer(smtpUrl: string): void {
  transport = nodemailer.createTransport(smtpUrl, { from: config.mail.from });
}

export function disconnectMailer(): void {
  transport?.close();
  transport = undefined;
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
  if (!transport) throw new Error('mailer not connected');
  try {
    await transport.sendMail({ to: mail.to, subject: mail.subject, text: `${mail.text}${SIGNATURE}`, ...(mail.headers ? { headers: mail.headers } : {}) });
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
