import { expect } from 'chai';
import { Contact, type ContactDoc } from '../../src/contacts/contact.model';
import { ContactRevision, type ContactRevisionDoc } from '../../src/contacts/contact-revision.model';
import { runRepairs } from '../../src/jobs/repair';
import { repairQueue } from '../../src/moderation/digest';
import { listQueueEntries } from '../../src/moderation/moderation.service';
import { listOpenItems } from '../../src/inbox/queue';
import { QueueItem } from '../../src/inbox/queue-item.model';
import { Member } from '../../src/members/member.model';
import { toActor } from '../../src/members/members.presenter';
import { Report, type ReportDoc } from '../../src/signals/signal.models';
import { seedDemo } from '../../seeds/demo';
import { DEMO_EDITS, DEMO_REPORTS } from '../../seeds/queue';

const quiet = () => undefined;

describe('seeds/queue', () => {
  before(async function () {
    this.timeout(180_000);
    await seedDemo(quiet);
  });

  describe('seedDemoQueue()', () => {
    it('gives every demo card in review, suggested edit and report an open item with its usual title', async () => {
      const open = await listOpenItems();
      const pending = await Contact.find({ state: 'pending' }).lean<ContactDoc[]>();
      const revisions = await ContactRevision.find({ status: 'pending' }).lean<ContactRevisionDoc[]>();
      const reports = await Report.find({ status: 'open' }).lean<ReportDoc[]>();

      expect(pending.length).to.be.at.least(2);
      expect(revisions).to.have.length(DEMO_EDITS.length);
      expect(reports).to.have.length(DEMO_REPORTS.length);
      const itemOf = (targetType: string, id: unknown) => open.find((i) => i.targetType === targetType && String(i.targetId) === String(id));
      for (const c of pending) expect(itemOf('contact', c._id)?.reasons?.[0]?.label).to.match(/^Nouveau contact proposé/);
      for (const r of revisions) expect(itemOf('revision', r._id)?.reasons?.[0]?.label).to.match(/^Modification proposée/);
      for (const r of reports) expect(itemOf('contact', r.contactId)?.type).to.equal('report');
      for (const i of open) expect(i.reasons.map((r) => r.label).join(' ')).to.not.include('remis');
    });

    it('leaves nothing for the repair jobs', async () => {
      expect(await repairQueue()).to.equal(0);
      expect(await runRepairs({ everything: true })).to.equal(0);
    });

    it('shows a flagged edit before the clean one in the moderators’ queue', async () => {
      const moderator = await Member.findOne({ email: 'moderateur.52@demo.test' }).lean();

      const queue = await listQueueEntries(toActor(moderator!));

      const edits = queue.filter((e) => e.item.type === 'edit');
      expect(edits).to.have.length(2);
      expect(edits[0]!.flags.map((f) => f.kind)).to.deep.equal(['civility_name']);
      expect(edits[1]!.flags).to.deep.equal([]);
    });

    it('adds nothing when it runs again', async function () {
      this.timeout(120_000);
      const before = await QueueItem.find().lean();

      await seedDemo(quiet);

      const after = await QueueItem.find().lean();
      expect(after.map((i) => [String(i._id), i.version])).to.deep.equal(before.map((i) => [String(i._id), i.version]));
      expect(await Report.countDocuments()).to.equal(DEMO_REPORTS.length);
    });
  });
});
