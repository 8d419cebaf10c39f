/**
 * Addresses anybody can open: the email-providers list (webmail and ISP
 * mailboxes, French ones included), plus the French ISPs it lacks. Such an
 * address proves nothing about an employer, so it never vouches for an agency
 * (objections) and is flagged on a card as a possibly personal address
 * (contact input).
 */
import { createRequire } from 'node:module';

const MISSING_FROM_LIST = ['bbox.fr', 'numericable.fr', 'googlemail.com'];
let domains: Set<string> | undefined;

function load(): Set<string> {
  const list = createRequire(import.meta.url)('email-providers/all.json') as string[];
  return new Set([...list, ...MISSING_FROM_LIST]);
}

export const domainOf = (email: string) => email.trim().split('@').pop()?.toLowerCase() ?? '';

export function isWebmailDomain(domain: string): boolean {
  domains ??= load();
  return domains.has(domain.toLowerCase());
}

export const isWebmailAddress = (email: string) => email.includes('@') && isWebmailDomain(domainOf(email));
