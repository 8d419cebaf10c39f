/**
 * Per-member caps on reading the directory: searches, contact pages and
 * vCards per hour and per day (admin thresholds), so that no account can copy
 * the directory, which the product promises members only and never in bulk.
 * One counter document per member, kind and Paris day, keyed by `_id`
 * (`usage:<kind>:<memberId>:<day>`), with the day total and one field per
 * hour: one upsert per request, no scan. The first refusal of a window is
 * written to the security log and mailed to the member's région moderators.
 * Figures and reasons: docs/resilience.md.
 */
import type { RequestHandler } from 'express';
import { currentActor } from '../core/access';
import { AppError } from '../core/errors';
import { logger } from '../core/logger';
import type { Actor } from '../core/policy';
import { link, sendMail } from '../mail/mailer';
import { getThresholds, type Thresholds } from '../settings/thresholds';
import { RateCounter } from './rate-limit.model';
import { recordSecurityEvent } from './security-log';
import { isDuplicateKey } from '../core/db';

const log = logger('security');

export const USAGE_KINDS = {
  search: { perHour: 'searchesPerHour', perDay: 'searchesPerDay', what: 'recherches' },
  contact_view: { perHour: 'contactViewsPerHour', perDay: 'contactViewsPerDay', what: 'fiches consultées' },
  vcard: { perHour: 'vcardsPerHour', perDay: 'vcardsPerDay', what: 'cartes de visite téléchargées' },
} as const satisfies Record<string, { perHour: keyof Thresholds; perDay: keyof Thresholds; what: string }>;
export type UsageKind = keyof typeof USAGE_KINDS;

const parisParts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
const parisTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });

/** The Paris calendar day ("2026-12-02") and hour (0–23) of an instant. */
export function parisDayHour(at: Date): { day: string; hour: number } {
  const p = Object.fromEntries(parisParts.formatToParts(at).map((x) => [x.type, x.value]));
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) };
}

export interface UsageCount {
  hour: number;
  day: number;
}

/** Counts one use and returns the totals of the current hour and day (after this one). */
export async function countUsage(kind: UsageKind, memberId: string, now = new Date()): Promise<UsageCount> {
  const { day, hour } = parisDayHour(now);
  const _id = `usage:${kind}:${memberId}:${day}`;
  const field = `h${hour}`;
  // Kept two days, then the clean-up job deletes it (FerretDB has no TTL index).
  const expire = new Date(now.getTime() + 48 * 3600 * 1000);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const doc = await RateCounter.collection.findOneAndUpdate(
        { _id: _id as never },
        { $inc: { day: 1, [field]: 1 }, $setOnInsert: { expire } },
        { upsert: true, returnDocument: 'after' },
      );
      return { hour: Number(doc?.[field] ?? 1), day: Number(doc?.day ?? 1) };
    } catch (err) {
      // Two first uses at once: the second upsert loses the insert race and simply retries.
      if (!isDuplicateKey(err) || attempt > 0) throw err;
    }
  }
  throw new Error('unreachable');
}

function capMessage(kind: UsageKind, which: 'hour' | 'day', limit: number, now: Date): { message: string; paragraphs: string[]; retryAfter: number } {
  const what = USAGE_KINDS[kind].what;
  const nextHour = new Date(Math.ceil((now.getTime() + 1) / 3_600_000) * 3_600_000);
  const retryAfter = which === 'hour' ? Math.ceil((nextHour.getTime() - now.getTime()) / 1000) : 3600;
  const when = which === 'hour' ? `à partir de ${parisTime.format(nextHour)}` : 'demain';
  return {
    message: `Vous avez atteint la limite de ${limit} ${what} par ${which === 'hour' ? 'heure' : 'jour'}. Vous pourrez reprendre ${when}.`,
    paragraphs: [
      'Ligne directe est réservé aux membres et ne permet pas de copier l’annuaire en masse : les agents qui y figurent ont accepté d’être joignables par des collègues, pas d’être listés ailleurs. C’est pourquoi la consultation est plafonnée par personne.',
      'Ces limites sont bien au-delà d’une journée de travail chargée. Si votre activité demande vraiment davantage, écrivez à la modération de votre région : elle a été prévenue et peut en parler avec vous.',
    ],
    retryAfter,
  };
}

/** Who hears of a member at a cap: the région's moderators. */
export type CapAlertRecipients = (region: string) => Promise<Array<{ id: string; email: string; firstName: string }>>;
let recipientsOf: CapAlertRecipients = async () => [];

/**
 * Sets who is told of a member at a cap. security/ sits below members/, so the
 * composition root (app.ts) hands it members.service's moderatorsToAlert.
 */
export function setCapAlertRecipients(recipients: CapAlertRecipients): void {
  recipientsOf = recipients;
}

async function alertModerators(actor: Actor, kind: UsageKind, which: 'hour' | 'day', limit: number): Promise<void> {
  const moderators = await recipientsOf(actor.region);
  const page = link(`/moderation/membres/${actor.id}`);
  for (const m of moderators) {
    if (m.id === actor.id) continue;
    await sendMail({
      to: m.email,
      subject: 'Un membre a atteint une limite de consultation – Ligne directe',
      text: `Bonjour ${m.firstName},\n\n${actor.displayName} a atteint la limite de ${limit} ${USAGE_KINDS[kind].what} par ${which === 'hour' ? 'heure' : 'jour'}. Ses consultations sont suspendues jusqu’à la fin de la période ; rien d’autre n’a changé.\n\nCela peut être un usage professionnel intense, un script, ou un compte utilisé par quelqu’un d’autre. Sa fiche de membre : ${page}\n\nSi le compte semble compromis ou détourné, vous pouvez le suspendre depuis cette page.`,
    });
  }
}

/**
 * Route middleware (after the access check): counts one `kind` for the
 * signed-in member and answers a French 429 page past the hourly or daily cap.
 */
export function usageCap(kind: UsageKind): RequestHandler {
  return async (req, res, next) => {
    const actor = currentActor(req);
    if (!actor) return next();
    const now = new Date();
    const [th, used] = await Promise.all([getThresholds(), countUsage(kind, actor.id, now)]);
    const perHour = th[USAGE_KINDS[kind].perHour];
    const perDay = th[USAGE_KINDS[kind].perDay];
    const which = used.day > perDay ? 'day' : used.hour > perHour ? 'hour' : undefined;
    if (!which) return next();
    const limit = which === 'day' ? perDay : perHour;
    // Only the first refused use of the window is logged and reported.
    if ((which === 'day' ? used.day : used.hour) === limit + 1) {
      await recordSecurityEvent('usage_cap_reached', { memberId: actor.id, actorId: actor.id, ip: req.ip, detail: `${kind}:${which}:${limit}` });
      void alertModerators(actor, kind, which, limit).catch((err) => log.warn({ err }, 'usage cap alert not sent'));
    }
    const { message, paragraphs, retryAfter } = capMessage(kind, which, limit, now);
    res.set('Retry-After', String(retryAfter));
    throw new AppError(429, 'usage_cap', message).withDetails({ title: 'Limite de consultation atteinte', paragraphs });
  };
}
