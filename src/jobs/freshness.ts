/**
 * The freshness job (docs/trust.md « Freshness »): published contacts whose lines
 * nobody verified for 12 months become `needs_check`, and their author is
 * asked to re-check them before the moderators' item opens (after the grace
 * period, in a later run: signals/rechecks.ts); those still unverified
 * after 24 months and `needs_check` for 30 days are archived, and their author
 * and the région's moderators are told. Idempotent: each step is a
 * conditional update, so a second run (or a second instance) changes nothing.
 */
import type { Types } from 'mongoose';
import type { ContactDoc } from '../contacts/contact.model';
import { changeState, contactsInStates } from '../contacts/contact-store';
import { contactLabel } from '../contacts/contact-states';
import { skipConflict } from '../core/errors';
import { finishing } from '../core/unfinished';
import { monthsBefore } from '../core/dates';
import { logger } from '../core/logger';
import { link, sendMail } from '../mail/mailer';
import { activeModeratorsOf, findMember } from '../members/members.service';
import { getRegion } from '../reference/territories';
import { getThresholds } from '../settings/thresholds';
import { openDueRechecks, startRecheck } from '../signals/signals.service';

const log = logger('jobs');

const verifiedAt = (c: ContactDoc) => c.lastVerifiedAt ?? c.publishedAt ?? c.createdAt;

export interface FreshnessResult {
  stale: Types.ObjectId[];
  archived: Types.ObjectId[];
  /** Cards whose author did not re-check them within the grace period: their item opened now. */
  queued: Types.ObjectId[];
}

export async function runFreshness(now = new Date()): Promise<FreshnessResult> {
  const th = await getThresholds();
  const staleBefore = monthsBefore(now, th.staleMonths);
  const archiveBefore = monthsBefore(now, th.archiveMonths);
  const checkSince = new Date(now.getTime() - th.archiveAfterNeedsCheckDays * 24 * 3600 * 1000);
  const result: FreshnessResult = { stale: [], archived: [], queued: [] };

  for await (const contact of contactsInStates(['published'])) {
    if (verifiedAt(contact) >= staleBefore) continue;
    // Conditional on the card as read (contact-store.ts changeState): a decision written meanwhile wins, and the card is looked at next run.
    const flagged = await finishing('recheck', contact._id, async () => {
      const res = await changeState(contact, {
        by: 'job',
        action: 'flag',
        set: { needsCheckSince: now },
        audit: { actor: undefined, action: 'contact.flag_stale', reason: `sans confirmation depuis ${th.staleMonths} mois` },
      }).catch(skipConflict);
      // The author is asked first; the item opens after the grace period, or at once without an active author (signals/rechecks.ts).
      if (res) await startRecheck(res.after, 'stale', now);
      return !!res;
    });
    if (flagged) result.stale.push(contact._id);
  }

  const archived: ContactDoc[] = [];
  for await (const contact of contactsInStates(['needs_check'])) {
    if (verifiedAt(contact) >= archiveBefore || !contact.needsCheckSince || contact.needsCheckSince > checkSince) continue;
    const res = await changeState(contact, {
      by: 'job',
      action: 'expire',
      audit: { actor: undefined, action: 'contact.expire', reason: `à vérifier depuis plus de ${th.archiveAfterNeedsCheckDays} jours sans confirmation` },
    }).catch(skipConflict);
    if (res) {
      result.archived.push(contact._id);
      archived.push(contact);
    }
  }
  await notifyArchived(archived);
  // After the archiving, so a card archived today opens no item.
  result.queued = await openDueRechecks(now);
  log.info({ stale: result.stale.length, queued: result.queued.length, archived: result.archived.length }, 'freshness done');
  return result;
}

async function notifyArchived(archived: ContactDoc[]): Promise<void> {
  if (!archived.length) return;
  const byAuthor = new Map<string, ContactDoc[]>();
  const byRegion = new Map<string, ContactDoc[]>();
  for (const c of archived) {
    if (c.createdBy) byAuthor.set(String(c.createdBy), [...(byAuthor.get(String(c.createdBy)) ?? []), c]);
    byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), c]);
  }
  const list = (cs: ContactDoc[]) => cs.map((c) => `- ${contactLabel(c)} : ${link(`/contacts/${c._id}`)}`).join('\n');
  for (const [authorId, cs] of byAuthor) {
    const author = await findMember(authorId);
    if (!author || author.status !== 'active') continue;
    await sendMail({
      to: author.email,
      subject: 'Des contacts que vous avez partagés ont été archivés – Ligne directe',
      text: `Bonjour ${author.firstName},\n\nPersonne n’a pu vérifier ces lignes depuis plus de deux ans ; elles ont été archivées (la modération peut les restaurer) :\n\n${list(cs)}\n\nSi vous savez qu’une ligne fonctionne encore, dites-le à la modération de votre région.`,
    });
  }
  for (const [region, cs] of byRegion) {
    const moderators = await activeModeratorsOf(region);
    for (const m of moderators) {
      await sendMail({
        to: m.email,
        subject: `${cs.length} contact${cs.length > 1 ? 's' : ''} archivé${cs.length > 1 ? 's' : ''} faute de vérification – ${getRegion(region)?.name ?? region}`,
        text: `Bonjour ${m.firstName},\n\nCes contacts de votre région n’ont pas été vérifiés depuis plus de deux ans et étaient « à vérifier » depuis plus de 30 jours ; ils ont été archivés :\n\n${list(cs)}\n\nVous pouvez les restaurer depuis la modération.`,
      });
    }
  }
}
