/**
 * Accounts: registration with e-mail verification, approval by the région's
 * moderators, sign-in with rate limits, password reset, profile, export and
 * deletion. Every function that acts for someone checks the policy itself.
 */
import { Types } from 'mongoose';
import { AppError, conflict, notFound, tooMany } from '../core/errors';
import { logger } from '../core/logger';
import { type Actor, authorize, isAdmin, isModerator } from '../core/policy';
import { sendMail } from '../mail/mailer';
import { regionOfDepartement } from '../reference/territories';
import { destroySessionsOf } from '../core/session';
import { recordSecurityEvent } from '../security/security-log';
import { runInBackground } from '../core/background';
import { consume, countAttempt, LIMITS, resetLimit, takeSlot, tryConsume, usedPoints } from '../security/rate-limit';
import { addToSets } from '../core/lookup';
import { findMemberByEmail, Member, type MemberDoc, memberEmailKey } from './member.model';
import { MemberToken } from './member-token.model';
import { consumeToken, issueToken, revokeTokens } from './member-tokens';
import { memberMails } from './members.mails';
import { memberPolicy } from './members.policy';
import { forgetActor } from './actor-cache';
import { recordEvent } from '../audit/audit';
import { closeItemsOf, enqueue } from '../inbox/queue';
import { toActor } from './members.presenter';
import type { ProfileInput, RegisterInput } from './members.schemas';
import { burnVerifyTime, hashPassword, needsRehash, verifyPassword } from './passwords';
import { isDuplicateKey } from '../core/db';
import { forgetMyContacts } from '../my-contacts/my-contacts.service';

const log = logger('members');

export const MESSAGES = {
  badCredentials: 'Adresse e-mail ou mot de passe incorrect.',
  suspended: 'Ce compte est suspendu. Contactez la modération de votre région par l’intermédiaire de l’association.',
  badLink: 'Ce lien n’est plus valable : il a déjà servi ou il a expiré. Vous pouvez en demander un nouveau.',
  alreadyDecided: 'Cette demande a déjà été traitée.',
  wrongPassword: 'Le mot de passe actuel est incorrect.',
  slowDown: (seconds: number) =>
    `Ce compte a reçu beaucoup de tentatives de connexion. Pour le protéger, chaque essai doit attendre un peu : réessayez dans ${seconds} seconde${seconds > 1 ? 's' : ''}.`,
};

function regionOf(departement: string): string {
  const region = regionOfDepartement(departement);
  if (!region) throw new AppError(400, 'bad_departement', 'Département inconnu.', { departement: 'Choisissez votre département d’exercice dans la liste.' });
  return region.code;
}

/** A member by id, or the 404 « Ce compte n’existe pas ou plus. » (a malformed id included). */
export async function loadMember(id: string): Promise<MemberDoc> {
  if (!Types.ObjectId.isValid(id)) throw notFound('Ce compte n’existe pas ou plus.');
  const m = await Member.findById(id).lean<MemberDoc>();
  if (!m) throw notFound('Ce compte n’existe pas ou plus.');
  return m;
}

/** Who to mail about their own settings (« Mes contacts » alerts): an active account's actor, address and first name, else undefined. */
export async function activeRecipient(id: string): Promise<{ actor: Actor; email: string; firstName: string } | undefined> {
  if (!Types.ObjectId.isValid(id)) return undefined;
  const m = await Member.findById(id).lean<MemberDoc>();
  if (!m || m.status !== 'active') return undefined;
  return { actor: toActor(m), email: m.email, firstName: m.firstName };
}

/** Loads the actor behind a session; undefined when the account is gone or suspended. */
export async function actorById(id: string): Promise<Actor | undefined> {
  if (!Types.ObjectId.isValid(id)) return undefined;
  const m = await Member.findById(id).lean<MemberDoc>();
  if (!m || m.status === 'suspended') return undefined;
  return toActor(m);
}

/**
 * Registers an applicant (status pending, e-mail unverified) and mails the
 * verification link. An address already registered gets a different mail and
 * the same answer, so the form never reveals who has an account: after the
 * per-IP limit, the work (password hashing, writes, mail) runs after the
 * answer, which therefore takes the same time either way.
 */
export async function registerMember(input: RegisterInput, ip: string): Promise<void> {
  await consume('register', ip);
  const region = regionOf(input.departement);
  runInBackground('register', () => createApplicant(input, region));
}

async function createApplicant(input: RegisterInput, region: string): Promise<void> {
  const existing = await findMemberByEmail(input.email);
  if (existing) {
    await sendMail({ to: input.email, ...memberMails.alreadyRegistered() });
    return;
  }
  let member;
  try {
    member = await Member.create({
      email: input.email,
      passwordHash: await hashPassword(input.password),
      firstName: input.firstName,
      lastName: input.lastName,
      profession: input.profession,
      employer: input.employer,
      departement: input.departement,
      region,
      membershipNumber: input.membershipNumber,
      status: 'pending',
      role: 'member',
    });
  } catch (err) {
    // Two submissions at once: the unique index decided; answer as for an existing account.
    if (isDuplicateKey(err)) return;
    throw err;
  }
  const token = await issueToken(member._id, 'verify_email');
  await sendMail({ to: member.email, ...memberMails.verify(member.firstName, token) });
  log.info({ memberId: String(member._id) }, 'member registered');
}

/** Confirms the e-mail address behind a verification link. Throws a French 400 when the link is spent or expired. */
export async function verifyEmail(token: string): Promise<MemberDoc> {
  const memberId = await consumeToken(token, 'verify_email');
  if (!memberId) throw new AppError(400, 'bad_link', MESSAGES.badLink);
  const m = await Member.findOneAndUpdate({ _id: memberId }, { $set: { emailVerifiedAt: new Date() } }, { returnDocument: 'after' }).lean<MemberDoc>();
  forgetActor(memberId);
  if (!m) throw new AppError(400, 'bad_link', MESSAGES.badLink);
  await recordSecurityEvent('email_verified', { memberId });
  if (m.status === 'pending') {
    await enqueue({ type: 'new_member', targetType: 'member', targetId: m._id, region: m.region, createdBy: m._id, reason: { code: 'email_verified', label: 'Adresse e-mail confirmée : demande d’accès à examiner' } });
  }
  return m;
}

/** Sends a new verification link to a signed-in, unverified applicant. */
export async function resendVerification(actor: Actor): Promise<void> {
  const m = await loadMember(actor.id);
  if (m.emailVerifiedAt) return;
  await consume('register', `resend:${actor.id}`);
  const token = await issueToken(m._id, 'verify_email');
  await sendMail({ to: m.email, ...memberMails.verify(m.firstName, token) });
}

/** Seconds an attempt on an account under attack waits, from its failure count: 1, 2, 4… up to 30. */
export function signInDelaySeconds(failures: number): number {
  const over = failures - LIMITS.signinAccount.points;
  return over < 0 ? 0 : Math.min(2 ** over, 30);
}

/**
 * Checks credentials under the rate limits. Failures count per (account, IP)
 * — ten lock that pair for 15 minutes — per IP (a hundred an hour, since a
 * whole office may share one address) and per account from anywhere: past
 * ten, each attempt on the account must wait a growing delay (at most 30 s),
 * so a third party can slow a member's sign-in but never lock it. Unknown
 * address and wrong password get the same message and take the same time.
 */
export async function signIn(email: string, password: string, ip: string): Promise<Actor> {
  const pair = `${email}|${ip}`;
  const limited = async (detail: string, err: AppError) => {
    await recordSecurityEvent('signin_rate_limited', { ip, detail });
    return err;
  };
  if (await isPairLimited(pair)) throw await limited('account+ip', tooManyFor('signinAccountIp'));
  if ((await usedPoints('signinIp', ip)) >= LIMITS.signinIp.points) throw await limited('ip', tooManyFor('signinIp'));
  const delay = signInDelaySeconds(await usedPoints('signinAccount', email));
  if (delay > 0) {
    const waitMs = await takeSlot('signinAccountGate', email, delay);
    if (waitMs > 0) throw await limited('account', tooMany(MESSAGES.slowDown(Math.ceil(waitMs / 1000))));
  }
  const m = await findMemberByEmail(email);
  const ok = m ? await verifyPassword(m.passwordHash, password) : (await burnVerifyTime(password), false);
  if (!m || !ok) {
    await Promise.all([countAttempt('signinAccountIp', pair), countAttempt('signinIp', ip), countAttempt('signinAccount', email)]);
    await recordSecurityEvent('signin_failure', { memberId: m?._id, ip });
    throw new AppError(401, 'bad_credentials', MESSAGES.badCredentials);
  }
  if (m.status === 'suspended') {
    await recordSecurityEvent('signin_failure', { memberId: m._id, ip, detail: 'suspended' });
    throw new AppError(403, 'suspended', MESSAGES.suspended);
  }
  await resetLimit('signinAccountIp', pair);
  await Member.updateOne({ _id: m._id }, { $set: { lastLoginAt: new Date() } });
  if (needsRehash(m.passwordHash)) await upgradePasswordHash(m._id, m.passwordHash, password);
  await recordSecurityEvent('signin_success', { memberId: m._id, ip });
  return toActor(m);
}

/**
 * Rewrites a hash made with older settings, now that the password is known
 * to be right. Conditional on the hash read: a password changed meanwhile
 * (reset link, account page) is never put back.
 */
export async function upgradePasswordHash(memberId: Types.ObjectId, readHash: string, password: string): Promise<boolean> {
  const res = await Member.updateOne({ _id: memberId, passwordHash: readHash }, { $set: { passwordHash: await hashPassword(password) } });
  return res.modifiedCount === 1;
}

const isPairLimited = async (pair: string) => (await usedPoints('signinAccountIp', pair)) >= LIMITS.signinAccountIp.points;
const tooManyFor = (name: 'signinAccountIp' | 'signinIp') => tooMany(LIMITS[name].message);

/**
 * Mails a reset link when the address has an account; answers the same
 * either way, and at once (the lookup and the mail run after the answer).
 * Past the per-account caps nothing more is sent, silently: an earlier link
 * stays valid, since a new one never revokes the others (see member-tokens).
 */
export async function requestPasswordReset(email: string, ip: string): Promise<void> {
  await consume('resetIp', ip);
  runInBackground('password reset', async () => {
    if (!(await tryConsume('resetAccountIp', `${email}|${ip}`))) return;
    if (!(await tryConsume('resetAccount', email))) return;
    const m = await findMemberByEmail(email);
    if (!m || m.status === 'suspended') return;
    const token = await issueToken(m._id, 'reset_password');
    await sendMail({ to: m.email, ...memberMails.resetPassword(m.firstName, token) });
    await recordSecurityEvent('password_reset_requested', { memberId: m._id, ip });
  });
}

/** Sets a new password from a reset link and closes every session of the account. */
export async function resetPassword(token: string, password: string, ip: string): Promise<void> {
  const memberId = await consumeToken(token, 'reset_password');
  if (!memberId) throw new AppError(400, 'bad_link', MESSAGES.badLink);
  const m = await Member.findOneAndUpdate(
    { _id: memberId },
    // Following a mailed link also proves the address.
    { $set: { passwordHash: await hashPassword(password) }, $min: { emailVerifiedAt: new Date() } },
    { returnDocument: 'after' },
  ).lean<MemberDoc>();
  if (!m) throw new AppError(400, 'bad_link', MESSAGES.badLink);
  forgetActor(m._id);
  await revokeTokens(m._id, 'reset_password');
  await destroySessionsOf(String(m._id));
  await resetLimit('signinAccount', m.email);
  await recordSecurityEvent('password_reset', { memberId: m._id, ip });
  await sendMail({ to: m.email, ...memberMails.passwordChanged(m.firstName) });
}

/**
 * Who hears about a member's unusual activity: the active moderators of the
 * member's région, or the admins when the région has none.
 */
export async function moderatorsToAlert(region: string): Promise<Array<{ id: string; email: string; firstName: string }>> {
  const pick = (list: MemberDoc[]) => list.filter((m) => m.status === 'active').map((m) => ({ id: String(m._id), email: m.email, firstName: m.firstName }));
  const moderators = pick(await Member.find({ role: 'moderator', moderatorRegions: region }).lean<MemberDoc[]>());
  return moderators.length ? moderators : pick(await Member.find({ role: 'admin' }).lean<MemberDoc[]>());
}

/** A member's page for moderation: the actor must moderate the member's région (or be an admin). */
export async function getMemberForModeration(actor: Actor, memberId: string): Promise<MemberDoc> {
  const m = await loadMember(memberId);
  authorize(memberPolicy.view(actor, { id: String(m._id), region: m.region }), 'Ce compte relève d’une autre région.');
  return m;
}

/** The id of the account with this address, for a moderator looking a member up; 404 when none or out of their régions. */
export async function findMemberIdByEmail(actor: Actor, email: string): Promise<string> {
  authorize(isModerator(actor), 'Cette page est réservée à la modération.');
  const m = await findMemberByEmail(email);
  if (!m || !memberPolicy.view(actor, { id: String(m._id), region: m.region })) throw notFound('Aucun compte de vos régions n’a cette adresse.');
  return String(m._id);
}

/**
 * Suspends an active account: every session ends at once (other instances
 * within the 5-second actor cache), sign-in is refused, the reason goes to
 * the audit log and to the person. Throws 403 per memberPolicy.suspend, 409
 * when the account is not active.
 */
export async function suspendMember(actor: Actor, memberId: string, reason: string): Promise<MemberDoc> {
  const m = await setStatus(actor, memberId, 'active', 'suspended', reason);
  await destroySessionsOf(String(m._id));
  await sendMail({ to: m.email, ...memberMails.suspended(m.firstName, reason) });
  return m;
}

/** Gives a suspended account its access back. Same rights as suspendMember. */
export async function reactivateMember(actor: Actor, memberId: string): Promise<MemberDoc> {
  const m = await setStatus(actor, memberId, 'suspended', 'active');
  await sendMail({ to: m.email, ...memberMails.reactivated(m.firstName) });
  return m;
}

async function setStatus(actor: Actor, memberId: string, from: 'active' | 'suspended', to: 'active' | 'suspended', reason?: string): Promise<MemberDoc> {
  const target = await loadMember(memberId);
  authorize(
    memberPolicy.suspend(actor, { id: String(target._id), region: target.region, role: target.role }),
    'Vous pouvez suspendre les membres de vos régions, jamais vous-même ; un modérateur ou un administrateur relève des administrateurs.',
  );
  const updated = await Member.findOneAndUpdate(
    { _id: target._id, status: from },
    { $set: { status: to, decidedAt: new Date(), decidedBy: new Types.ObjectId(actor.id) } },
    { returnDocument: 'after' },
  ).lean<MemberDoc>();
  if (!updated) throw conflict(to === 'suspended' ? 'Ce compte n’est pas actif : il ne peut pas être suspendu.' : 'Ce compte n’est pas suspendu.', 'status_changed');
  forgetActor(target._id);
  await recordSecurityEvent('status_changed', { memberId: target._id, actorId: actor.id, detail: `${from}→${to}` });
  await recordEvent(actor, {
    action: to === 'suspended' ? 'member.suspend' : 'member.reactivate',
    targetType: 'member',
    targetId: target._id,
    region: target.region,
    reason,
    changes: [{ field: 'status', before: from, after: to }],
  });
  log.info({ memberId: String(target._id), to }, 'member status changed');
  return updated;
}

/** Pending, verified applications the actor may decide, oldest first. */
export async function listApplications(actor: Actor): Promise<MemberDoc[]> {
  authorize(isModerator(actor), 'Cette page est réservée à la modération.');
  const filter: Record<string, unknown> = { status: 'pending', emailVerifiedAt: { $ne: null } };
  if (!isAdmin(actor)) filter.region = { $in: actor.moderatorRegions };
  const list = await Member.find(filter).sort({ createdAt: 1 }).limit(500).lean<MemberDoc[]>();
  return list.filter((m) => String(m._id) !== actor.id);
}

async function decide(actor: Actor, memberId: string, to: 'active' | 'rejected', reason?: string): Promise<MemberDoc> {
  const target = await loadMember(memberId);
  authorize(
    memberPolicy.decide(actor, { id: String(target._id), region: target.region }),
    'Vous ne pouvez décider que des demandes de votre région, et jamais de la vôtre.',
  );
  if (!target.emailVerifiedAt) throw conflict('Cette personne n’a pas encore confirmé son adresse e-mail.', 'not_verified');
  // Conditional update: of two moderators deciding at once, only one wins.
  const updated = await Member.findOneAndUpdate(
    { _id: target._id, status: 'pending' },
    { $set: { status: to, decidedAt: new Date(), decidedBy: new Types.ObjectId(actor.id), ...(reason ? { rejectionReason: reason } : {}) } },
    { returnDocument: 'after' },
  ).lean<MemberDoc>();
  if (!updated) throw conflict(MESSAGES.alreadyDecided, 'already_decided');
  forgetActor(target._id);
  await recordSecurityEvent('status_changed', { memberId: target._id, actorId: actor.id, detail: `pending→${to}` });
  await closeItemsOf('member', target._id, to === 'active' ? 'approve' : 'reject');
  await recordEvent(actor, { action: to === 'active' ? 'member.approve' : 'member.reject', targetType: 'member', targetId: target._id, region: target.region, reason, changes: [{ field: 'status', before: 'pending', after: to }] });
  return updated;
}

/** Activates a pending applicant of the actor's régions and tells them. */
export async function approveMember(actor: Actor, memberId: string): Promise<MemberDoc> {
  const m = await decide(actor, memberId, 'active');
  await sendMail({ to: m.email, ...memberMails.approved(m.firstName) });
  return m;
}

/** Rejects a pending applicant with a reason sent to them. */
export async function rejectMember(actor: Actor, memberId: string, reason: string): Promise<MemberDoc> {
  const m = await decide(actor, memberId, 'rejected', reason);
  await sendMail({ to: m.email, ...memberMails.rejected(m.firstName, reason) });
  return m;
}

export async function getAccount(actor: Actor): Promise<MemberDoc> {
  return loadMember(actor.id);
}

/** Updates one's own profile; the région follows the département. */
export async function updateProfile(actor: Actor, input: ProfileInput): Promise<MemberDoc> {
  const m = await Member.findOneAndUpdate(
    { _id: actor.id },
    { $set: { ...input, region: regionOf(input.departement) }, ...(input.membershipNumber ? {} : { $unset: { membershipNumber: 1 } }) },
    { returnDocument: 'after' },
  ).lean<MemberDoc>();
  if (!m) throw notFound('Ce compte n’existe pas ou plus.');
  forgetActor(m._id);
  return m;
}

/** Changes one's password after checking the current one; closes the other sessions. */
export async function changePassword(actor: Actor, current: string, password: string, sessionId: string, ip: string): Promise<void> {
  const m = await loadMember(actor.id);
  if (!(await verifyPassword(m.passwordHash, current))) {
    throw new AppError(422, 'wrong_password', MESSAGES.wrongPassword, { currentPassword: MESSAGES.wrongPassword });
  }
  await Member.updateOne({ _id: m._id }, { $set: { passwordHash: await hashPassword(password) } });
  await destroySessionsOf(actor.id, sessionId);
  await recordSecurityEvent('password_changed', { memberId: m._id, ip });
  await sendMail({ to: m.email, ...memberMails.passwordChanged(m.firstName) });
}

/**
 * Deletes one's account after checking the password. Contributions stay and
 * are shown as by « membre supprimé »; tokens and sessions go.
 */
export async function deleteAccount(actor: Actor, current: string, ip: string): Promise<void> {
  const m = await loadMember(actor.id);
  if (!(await verifyPassword(m.passwordHash, current))) {
    throw new AppError(422, 'wrong_password', MESSAGES.wrongPassword, { currentPassword: MESSAGES.wrongPassword });
  }
  await Member.deleteOne({ _id: m._id });
  forgetActor(m._id);
  await forgetMyContacts(String(m._id));
  await MemberToken.deleteMany({ memberId: m._id });
  await closeItemsOf('member', m._id, 'account_deleted');
  await destroySessionsOf(actor.id);
  await recordSecurityEvent('account_deleted', { memberId: m._id, ip });
}

/**
 * Creates or promotes an active, verified account (bootstrap and demo seeding,
 * never reachable over HTTP).
 */
export async function upsertActiveMember(input: {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  departement: string;
  role: Actor['role'];
  moderatorRegions?: string[];
  profession?: string;
  employer?: string;
}): Promise<MemberDoc> {
  const email = input.email.trim().toLowerCase();
  // By id: the existing account's, or a new one registered under the e-mail key first.
  const existingId = (await findMemberByEmail(email))?._id;
  const _id = existingId ?? new Types.ObjectId();
  if (!existingId) await addToSets([memberEmailKey(email)], _id);
  const m = await Member.findOneAndUpdate(
    { _id },
    {
      $set: {
        passwordHash: await hashPassword(input.password),
        firstName: input.firstName,
        lastName: input.lastName,
        profession: input.profession ?? 'ass',
        employer: input.employer ?? 'Association',
        departement: input.departement,
        region: regionOf(input.departement),
        status: 'active',
        role: input.role,
        moderatorRegions: input.role === 'moderator' ? (input.moderatorRegions ?? []) : [],
        emailVerifiedAt: new Date(),
      },
      $setOnInsert: { email },
    },
    { returnDocument: 'after', upsert: true },
  ).lean<MemberDoc>();
  forgetActor(m!._id);
  await recordSecurityEvent('role_changed', { memberId: m!._id, detail: `bootstrap:${input.role}` });
  return m!;
}

/** An account by id (null when missing or malformed), for the features that show or mail it. */
export async function findMember(id: Types.ObjectId | string | null | undefined): Promise<MemberDoc | null> {
  return id && Types.ObjectId.isValid(String(id)) ? Member.findById(id).lean<MemberDoc>() : null;
}

/** Accounts by id (at most LOOKUP_READ_LIMIT), in no particular order. */
export async function membersByIds(ids: Array<Types.ObjectId | string>): Promise<MemberDoc[]> {
  return ids.length ? Member.find({ _id: { $in: ids } }).lean<MemberDoc[]>() : [];
}

/** The active accounts of a role (moderators for the digest, admins for escalations). */
export async function activeMembersWithRole(role: 'moderator' | 'admin'): Promise<MemberDoc[]> {
  return Member.find({ role, status: 'active' }).lean<MemberDoc[]>();
}

export { findMemberByEmail };

/** Every applicant who verified their address and waits for a decision (a job's full read: the queue's repair). */
export async function verifiedApplicants(): Promise<MemberDoc[]> {
  return Member.find({ status: 'pending', emailVerifiedAt: { $ne: null } }).lean<MemberDoc[]>();
}

/** Every account of a role, whatever its status (the admin's staff list). */
export async function membersWithRole(role: 'moderator' | 'admin'): Promise<MemberDoc[]> {
  return Member.find({ role }).lean<MemberDoc[]>();
}

/**
 * Sets an account's role and moderated régions, conditionally on the role read
 * (a concurrent change wins: null), and forgets its cached actor so the next
 * request reads the new role.
 */
export async function updateRoleIf(
  memberId: Types.ObjectId,
  readRole: MemberDoc['role'],
  change: { role: MemberDoc['role']; moderatorRegions: string[] },
): Promise<MemberDoc | null> {
  const updated = await Member.findOneAndUpdate({ _id: memberId, role: readRole }, { $set: change }, { returnDocument: 'after' }).lean<MemberDoc>();
  if (updated) forgetActor(memberId);
  return updated;
}

// The members' API to sign-in (auth/) and the clean-up job: cached actors and one-time tokens.
export { cacheActor, cachedActor } from './actor-cache';
export { peekToken, purgeExpiredTokens } from './member-tokens';

/** The active moderators of a région (no fallback to the admins, unlike moderatorsToAlert). */
export async function activeModeratorsOf(region: string): Promise<MemberDoc[]> {
  return Member.find({ role: 'moderator', status: 'active', moderatorRegions: region }).lean<MemberDoc[]>();
}
