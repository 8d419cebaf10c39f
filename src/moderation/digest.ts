/**
 * The daily digest: each moderator gets what waits in their régions (nothing
 * when nothing waits); items older than OVERDUE_DAYS (7) days are flagged as overdue in it,
 * and items older than 14 days are escalated to the admins once. Nothing is
 * ever rejected automatically.
 */
import { pendingContacts } from '../contacts/contact-store';
import { logger } from '../core/logger';
import { sendMail } from '../mail/mailer';
import { activeMembersWithRole, verifiedApplicants } from '../members/members.service';
import { getRegion } from '../reference/territories';
import { moderationMails } from './moderation.mails';
import { enqueue, findOpenItem, ITEM_TYPES, type ItemType, listOpenItems, markEscalated, markOverdueNotified, OVERDUE_DAYS, openKeyOf } from '../inbox/queue';

const log = logger('moderation');
const DAY = 24 * 3600 * 1000;

/**
 * Without transactions, a crash between saving a contact (or verifying an
 * applicant) and queueing it leaves it out of the queue: put such orphans back.
 */
export async function repairQueue(now = new Date()): Promise<number> {
  let repaired = 0;
  for (const c of await pendingContacts()) {
    if (await findOpenItem(openKeyOf('contact', c._id))) continue;
    await enqueue({ type: 'new_contact', targetType: 'contact', targetId: c._id, contactId: c._id, region: c.region, createdBy: c.createdBy ?? undefined, reason: { code: 'repaired', label: 'Nouveau contact (remis dans la file)' } }, now);
    repaired++;
  }
  for (const m of await verifiedApplicants()) {
    if (await findOpenItem(openKeyOf('member', m._id))) continue;
    await enqueue({ type: 'new_member', targetType: 'member', targetId: m._id, region: m.region, createdBy: m._id, reason: { code: 'repaired', label: 'Demande d’accès (remise dans la file)' } }, now);
    repaired++;
  }
  if (repaired) log.warn({ repaired }, 'queue repaired');
  return repaired;
}

export async function runDigest(now = new Date()): Promise<{ digests: number; escalated: number }> {
  await repairQueue(now);
  const open = await listOpenItems();
  const moderators = await activeMembersWithRole('moderator');
  let digests = 0;
  for (const m of moderators) {
    const mine = open.filter((i) => (m.moderatorRegions ?? []).includes(i.region));
    if (!mine.length) continue;
    const byType = new Map<ItemType, number>();
    for (const i of mine) byType.set(i.type, (byType.get(i.type) ?? 0) + 1);
    const lines = [...byType].map(([t, n]) => `- ${ITEM_TYPES[t].label} : ${n}`);
    const overdue = mine.filter((i) => now.getTime() - i.createdAt.getTime() > OVERDUE_DAYS * DAY).length;
    await sendMail({ to: m.email, ...moderationMails.digest(m.firstName, lines, overdue) });
    digests++;
  }
  const overdueIds = open.filter((i) => now.getTime() - i.createdAt.getTime() > OVERDUE_DAYS * DAY && !i.overdueNotifiedAt).map((i) => i._id);
  await markOverdueNotified(overdueIds, now);

  const toEscalate = open.filter((i) => now.getTime() - i.createdAt.getTime() > 14 * DAY && !i.escalatedAt);
  if (toEscalate.length) {
    const admins = await activeMembersWithRole('admin');
    const regions = [...new Set(toEscalate.map((i) => getRegion(i.region)?.name ?? i.region))].join(', ');
    for (const a of admins) await sendMail({ to: a.email, ...moderationMails.escalation(toEscalate.length, regions) });
    await markEscalated(toEscalate.map((i) => i._id), now);
  }
  log.info({ digests, escalated: toEscalate.length }, 'digest done');
  return { digests, escalated: toEscalate.length };
}
