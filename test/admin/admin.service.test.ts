import { expect } from 'chai';
import { Types } from 'mongoose';
import {
  appointModerator, listJournal, listStaff, revokeModerator, settingTargetId, updateReasons, updateThresholds,
} from '../../src/admin/admin.service';
import { JournalQuerySchema, THRESHOLD_FIELDS, ThresholdsFormSchema } from '../../src/admin/admin.schemas';
import type { Actor } from '../../src/core/policy';
import { Member } from '../../src/members/member.model';
import { toActor } from '../../src/members/members.presenter';
import { recordEvent } from '../../src/audit/audit';
import { ModerationEvent } from '../../src/audit/moderation-event.model';
import { listReasons } from '../../src/settings/reasons';
import { clearThresholdsCache, getThresholds, ThresholdsSchema } from '../../src/settings/thresholds';
import { buildAdmin, buildMember, buildModerator } from '../support/factories';

const journalQuery = (extra: Record<string, string> = {}) => JournalQuerySchema.parse(extra);

describe('admin.service', () => {
  let admin: Actor;

  before(async () => {
    admin = toActor(await buildAdmin());
  });

  // Thresholds are cached for 30 s in the process: later test files must read the defaults.
  after(() => clearThresholdsCache());

  describe('admin.schemas', () => {
    it('gives every threshold a French label and accepts the values in force', async () => {
      clearThresholdsCache();
      const current = await getThresholds();
      const form = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, String(v)]));

      expect(Object.keys(THRESHOLD_FIELDS).sort()).to.deep.equal(Object.keys(ThresholdsSchema.shape).sort());
      expect(ThresholdsFormSchema.parse(form)).to.deep.equal(current);
    });
  });

  describe('listStaff() and appointModerator()', () => {
    it('are refused to a moderator', async () => {
      const mod = toActor(await buildModerator(['52']));
      const member = await buildMember();

      await expectStatus(listStaff(mod), 403);
      await expectStatus(appointModerator(mod, member.email, ['52']), 403);
    });

    it('reports no change and writes no event when the régions are already those', async () => {
      const mod = await buildModerator(['53', '52']);

      const change = await appointModerator(admin, mod.email, ['52', '53']);

      expect(change.changed).to.equal(false);
      expect(await ModerationEvent.countDocuments({ targetId: mod._id })).to.equal(0);
    });
  });

  describe('revokeModerator()', () => {
    it('answers 409 for someone who is not a moderator', async () => {
      const member = await buildMember();

      await expectStatus(revokeModerator(admin, String(member._id)), 409);
      expect((await Member.findById(member._id).lean())!.role).to.equal('member');
    });
  });

  describe('updateThresholds() and updateReasons()', () => {
    it('write nothing when nothing changed', async () => {
      clearThresholdsCache();
      const before = await ModerationEvent.countDocuments({});

      expect(await updateThresholds(admin, await getThresholds())).to.deep.equal([]);
      expect(await updateReasons(admin, await listReasons())).to.deep.equal([]);
      expect(await ModerationEvent.countDocuments({})).to.equal(before);
    });

    it('audit settings under a stable target id', async () => {
      clearThresholdsCache();
      const values = { ...(await getThresholds()), minVotesShown: 5 };

      await updateThresholds(admin, values);

      const event = await ModerationEvent.findOne({ action: 'settings.thresholds' }).lean();
      expect(String(event!.targetId)).to.equal(String(settingTargetId('thresholds')));
      expect(String(settingTargetId('thresholds'))).to.not.equal(String(settingTargetId('rejectReasons')));
    });
  });

  describe('listJournal()', () => {
    it('gives a moderator the events of their régions only, never national ones', async () => {
      const mod = toActor(await buildModerator(['27']));
      await recordEvent(admin, { action: 'contact.approve', targetType: 'contact', targetId: new Types.ObjectId(), region: '27' });
      await recordEvent(admin, { action: 'contact.approve', targetType: 'contact', targetId: new Types.ObjectId(), region: '28' });

      const page = await listJournal(mod, journalQuery());

      expect(page.events.map((e) => e.region)).to.deep.equal(['27']);
      expect(page.regions).to.deep.equal(['27']);
      await expectStatus(listJournal(mod, journalQuery({ region: '28' })), 403);
    });

    it('filters by the author’s e-mail, and finds nothing for an unknown one', async () => {
      const author = await buildModerator(['24']);
      await recordEvent(toActor(author), { action: 'contact.reject', targetType: 'contact', targetId: new Types.ObjectId(), region: '24' });

      const found = await listJournal(admin, journalQuery({ acteur: author.email.toUpperCase() }));
      const none = await listJournal(admin, journalQuery({ acteur: 'inconnu@nulle-part.fr' }));

      expect(found.total).to.equal(1);
      expect(found.events[0].action).to.equal('contact.reject');
      expect(none.total).to.equal(0);
    });
  });
});

async function expectStatus(promise: Promise<unknown>, status: number): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect((err as { status?: number }).status).to.equal(status);
    return;
  }
  expect.fail(`expected an error with status ${status}`);
}
