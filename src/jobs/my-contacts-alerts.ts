/**
 * The weekly « Mes contacts » alert (docs/my-contacts.md): run daily under its
 * lease like the other jobs, it mails each member who asked for it, at most
 * once every 7 days, what changed on the cards of their list since the last
 * mail (or since they were added): a new number, a number reported invalid, a
 * new report that the line does not work, a card now « à vérifier », and cards
 * no longer listed — those without any detail, whatever the reason (an agent's
 * objection, a restriction, an archive). Nothing is read but by `_id`: the
 * members from a keyed set, their lists, the cards, their open reports.
 */
import { contactLabel } from '../contacts/contact-states';
import { contactsWithAgencies } from '../contacts/contacts.service';
import { formatForDisplay } from '../contacts/phone';
import { logger } from '../core/logger';
import { link, sendMail } from '../mail/mailer';
import { activeRecipient } from '../members/members.service';
import type { SeenCard } from '../my-contacts/my-contacts.model';
import { dataQualityReports, dropAlerts, isListable, listsWithAlerts, recordDigest, seenOf } from '../my-contacts/my-contacts.service';

const log = logger('jobs');
const DAY = 24 * 3600 * 1000;
/** A week, less an hour so a job that ran a little late last week does not skip a week. */
export const ALERT_EVERY_MS = 7 * DAY - 3600 * 1000;
export const GONE = 'gone';

/** What changed between what the member saw and the card now, as French lines (empty: nothing to say). */
export function changesOf(label: string, seen: SeenCard, now: SeenCard): string[] {
  if (seen.state === GONE) return [];
  const lines: string[] = [];
  const samePhones = seen.phones.length === now.phones.length && seen.phones.every((p, i) => p === now.phones[i]);
  if (!now.phonesMasked && !samePhones) lines.push(`${label} : nouveau numéro, ${now.phones.map(formatForDisplay).join(' ou ') || 'aucun numéro visible'}.`);
  if (now.phonesMasked && !seen.phonesMasked) lines.push(`${label} : numéro signalé invalide par plusieurs collègues, masqué en attendant une vérification.`);
  if (now.openReports > seen.openReports) lines.push(`${label} : signalé comme ne fonctionnant pas (pas de réponse, numéro erroné ou personne partie).`);
  if (now.state === 'needs_check' && seen.state !== 'needs_check') lines.push(`${label} : à vérifier, ses informations ne sont peut-être plus à jour.`);
  return lines;
}

export function alertMail(firstName: string, lines: string[], gone: number) {
  const goneLine = gone === 1 ? 'Un contact de votre liste n’est plus listé dans l’annuaire.' : `${gone} contacts de votre liste ne sont plus listés dans l’annuaire.`;
  return {
    subject: 'Vos contacts ont changé – Ligne directe',
    text: [
      `Bonjour ${firstName},`,
      '',
      'Depuis notre dernier message, des contacts de votre liste ont changé :',
      '',
      ...lines.map((l) => `- ${l}`),
      ...(gone ? [`- ${goneLine}`] : []),
      '',
      `Votre liste : ${link('/mes-contacts')}`,
      '',
      `Vous recevez cet e-mail une fois par semaine au plus, parce que vous l’avez demandé. Pour l’arrêter : ${link('/compte')}`,
    ].join('\n'),
  };
}

export async function runMyContactsAlerts(now = new Date()): Promise<{ mails: number; lists: number }> {
  let mails = 0;
  let lists = 0;
  for await (const list of listsWithAlerts()) {
    if (!list.alerts) continue;
    if (list.lastDigestAt && now.getTime() - new Date(list.lastDigestAt).getTime() < ALERT_EVERY_MS) continue;
    const memberId = String(list._id);
    const recipient = await activeRecipient(memberId);
    if (!recipient) {
      await dropAlerts(memberId);
      continue;
    }
    lists++;
    const found = list.entries.length ? await contactsWithAgencies(list.entries.map((e) => e.contactId)) : [];
    const byId = new Map(found.map((f) => [String(f.contact._id), f]));
    const lines: string[] = [];
    let gone = 0;
    const seenById = new Map<string, SeenCard>();
    for (const entry of list.entries) {
      const f = byId.get(String(entry.contactId));
      if (!f || !isListable(recipient.actor, f.contact, f.agency)) {
        if (entry.seen.state !== GONE) gone++;
        seenById.set(String(entry.contactId), { ...entry.seen, state: GONE });
        continue;
      }
      const current = seenOf(f.contact, await dataQualityReports(f.contact));
      lines.push(...changesOf(`${contactLabel(f.contact)} (${f.agency!.name})`, entry.seen, current));
      seenById.set(String(entry.contactId), current);
    }
    if (lines.length || gone) {
      await sendMail({ to: recipient.email, ...alertMail(recipient.firstName, lines, gone) });
      mails++;
    }
    await recordDigest(memberId, seenById, now);
  }
  log.info({ mails, lists }, 'my-contacts alerts done');
  return { mails, lists };
}
