import { expect } from 'chai';
import { syncNow } from '../../src/search/indexer';
import mongoose, { Types } from 'mongoose';
import type { Actor } from '../../src/core/policy';
import { toActor } from '../../src/members/members.presenter';
import {
  clearDashboardCounts, countDecisions, coverageWithin, cutDecisions, decisionsWithin, refreshDashboardCounts, isDecision, resolveScope, summarizeQueue, topMisses,
} from '../../src/moderation/dashboard.service';
import { buildAdmin, buildAgency, buildContact, buildMember, buildModerator, insertQueueItems } from '../support/factories';

const DAY = 24 * 3600 * 1000;

async function moderatorOf(regions: string[]): Promise<Actor> {
  return toActor(await buildModerator(regions, { departement: '35', region: '53' }));
}

describe('dashboard.service', () => {
  beforeEach(() => clearDashboardCounts());

  describe('resolveScope()', () => {
    it('gives a moderator their régions, or one of them, and refuses another', async () => {
      const mod = await moderatorOf(['53', '52']);

      expect(resolveScope(mod).regions).to.have.members(['53', '52']);
      expect(resolveScope(mod, '53')).to.include({ all: false, region: '53' });
      expect(() => resolveScope(mod, '11')).to.throw().with.property('status', 403);
    });

    it('gives an admin every région as a national view, or the one asked for', async () => {
      const admin = toActor(await buildAdmin());

      const all = resolveScope(admin);

      expect(all.all).to.equal(true);
      expect(all.regions).to.have.length(18);
      expect(resolveScope(admin, '11').regions).to.deep.equal(['11']);
    });

    it('refuses a member', async () => {
      const member = toActor(await buildMember());

      expect(() => resolveScope(member)).to.throw().with.property('status', 403);
    });
  });

  describe('isDecision()', () => {
    it('counts decisions by people and leaves out notes, claims, administration and system events', () => {
      const actorId = new Types.ObjectId();

      expect(isDecision({ action: 'contact.approve', actorId })).to.equal(true);
      expect(isDecision({ action: 'member.reject', actorId })).to.equal(true);
      expect(isDecision({ action: 'note', actorId })).to.equal(false);
      expect(isDecision({ action: 'claim.release', actorId })).to.equal(false);
      expect(isDecision({ action: 'queue.claim', actorId })).to.equal(false);
      expect(isDecision({ action: 'item.note_added', actorId })).to.equal(false);
      expect(isDecision({ action: 'member.role_change', actorId })).to.equal(false);
      expect(isDecision({ action: 'settings.thresholds', actorId })).to.equal(false);
      expect(isDecision({ action: 'agent.informed' })).to.equal(false);
    });
  });

  describe('countDecisions() and cutDecisions()', () => {
    it('puts the decisions of the scope in Paris calendar weeks, the current one last', async () => {
      const mod = await moderatorOf(['84']);
      const now = new Date('2026-03-04T12:00:00Z'); // Wednesday
      const actorId = new Types.ObjectId();
      const event = (action: string, at: string, region = '84', by: Types.ObjectId | null = actorId) => ({
        at: new Date(at), action, actorId: by, actorName: 'X', targetType: 'contact', targetId: new Types.ObjectId(), region, changes: [],
      });
      await mongoose.connection.collection('moderation_events').insertMany([
        event('contact.approve', '2026-03-02T08:00:00Z'),
        event('contact.reject', '2026-03-01T23:30:00Z'), // Monday 00:30 in Paris: this week
        event('contact.approve', '2026-03-01T22:30:00Z'), // Sunday 23:30 in Paris: last week
        event('queue.claim', '2026-03-03T08:00:00Z'),
        event('agent.informed', '2026-03-03T08:00:00Z', '84', null),
        event('contact.approve', '2026-03-03T08:00:00Z', '11'),
        event('report.dismiss', '2026-01-12T08:00:00Z'), // week of 12 January: the oldest of the eight
        event('report.dismiss', '2026-01-11T08:00:00Z'), // nine weeks ago: left out
      ]);

      const { weeks } = cutDecisions(resolveScope(mod), await countDecisions(now));

      expect(weeks).to.have.length(8);
      expect(weeks[7].start.toISOString()).to.equal('2026-03-01T23:00:00.000Z');
      expect(weeks.map((w) => w.count)).to.deep.equal([1, 0, 0, 0, 0, 0, 1, 2]);
    });
  });

  describe('decisionsWithin()', () => {
    it('cuts the scope’s weeks from one count of every région', async () => {
      const mod = await moderatorOf(['44']);
      const admin = toActor(await buildAdmin());
      const event = (action: string, region: string, daysAgo: number) => ({
        at: new Date(Date.now() - daysAgo * DAY), action, actorId: new Types.ObjectId(), actorName: 'X', targetType: 'contact', targetId: new Types.ObjectId(), region, changes: [],
      });
      await mongoose.connection.collection('moderation_events').insertMany([
        event('contact.approve', '44', 0), event('member.approve', '44', 0), event('contact.approve', '44', 21), event('contact.approve', '93', 0),
      ]);
      await syncNow(); // coverage is counted from the search index
      await refreshDashboardCounts();

      const mine = (await decisionsWithin(resolveScope(mod)))!;
      const all = (await decisionsWithin(resolveScope(admin)))!;

      expect(mine.weeks.at(-1)!.count).to.equal(2);
      expect(mine.weeks.reduce((n, w) => n + w.count, 0)).to.equal(3);
      expect(all.weeks.at(-1)!.count).to.be.at.least(3);
    });
  });

  describe('summarizeQueue()', () => {
    it('counts open items per type in the scope and finds the oldest', async () => {
      const mod = await moderatorOf(['76']);
      const now = Date.now();
      const item = (type: string, ageDays: number, region = '76', status = 'open') => ({
        type, targetType: 'contact', targetId: new Types.ObjectId(), region, status, reasons: [], notes: [], timeline: [], version: 1,
        createdAt: new Date(now - ageDays * DAY), updatedAt: new Date(),
      });
      await insertQueueItems([
        item('new_contact', 2), item('new_contact', 9), item('report', 1), item('report', 30, '76', 'resolved'), item('stale', 40, '11'),
      ]);

      const q = await summarizeQueue(resolveScope(mod));

      expect(q.total).to.equal(3);
      expect(q.oldestType).to.equal('new_contact');
      expect(Math.round((now - q.oldestAt!.getTime()) / DAY)).to.equal(9);
      const counts = Object.fromEntries(q.types.map((t) => [t.type, t.count]));
      expect(counts).to.include({ new_contact: 2, report: 1, stale: 0, objection: 0 });
      expect(q.types.map((t) => t.type)[0]).to.equal('objection');
    });
  });

  describe('coverageWithin()', () => {
    it('counts visible contacts per département and agency type group', async () => {
      const mod = await moderatorOf(['28']); // Normandie
      const caf = await buildAgency({ typeCode: 'CAF', departement: '14', region: '28', commune: 'Caen', postcode: '14000' });
      const ccas = await buildAgency({ typeCode: 'CCAS', departement: '14', region: '28', commune: 'Caen', postcode: '14000' });
      const mdph = await buildAgency({ typeCode: 'MDPH', departement: '76', region: '28', commune: 'Rouen', postcode: '76000' });
      for (const state of ['published', 'published', 'needs_check', 'restricted', 'pending', 'archived']) await buildContact(caf, { state });
      await buildContact(ccas);
      await buildContact(mdph, { state: 'rejected' });

      await syncNow(); // coverage is counted from the search index
      const coverage = (await coverageWithin(resolveScope(mod)))!;

      expect(coverage.placeKind).to.equal('departement');
      expect(Object.fromEntries(coverage.counts.get('14')!)).to.deep.equal({ SECURITE_SOCIALE: 4, COMMUNE: 1 });
      expect(coverage.counts.has('76')).to.equal(false);
      expect(coverage.groups[0].code).to.equal('SECURITE_SOCIALE');
    });

    it('counts per région in an admin’s national view', async () => {
      const admin = toActor(await buildAdmin());
      const agency = await buildAgency({ typeCode: 'PREFECTURE', departement: '2A', region: '94', commune: 'Ajaccio', postcode: '20000' });
      await buildContact(agency);
      await buildContact(agency);

      await syncNow(); // coverage is counted from the search index
      const coverage = (await coverageWithin(resolveScope(admin)))!;

      expect(coverage.placeKind).to.equal('region');
      expect(coverage.counts.get('94')?.get('ETAT')).to.equal(2);
    });

    it('counts the directory once for every dashboard until the count expires or is cleared', async () => {
      const mod = await moderatorOf(['01']); // Guadeloupe
      const agency = await buildAgency({ typeCode: 'CAF', departement: '971', region: '01', commune: 'Pointe-à-Pitre', postcode: '97110' });
      await buildContact(agency);
      await syncNow(); // coverage is counted from the search index
      const first = (await coverageWithin(resolveScope(mod)))!;
      await buildContact(agency);

      await syncNow(); // coverage is counted from the search index
      const cached = (await coverageWithin(resolveScope(mod)))!;
      clearDashboardCounts();
      await syncNow(); // coverage is counted from the search index
      const fresh = (await coverageWithin(resolveScope(mod)))!;

      expect(first.counts.get('971')?.get('SECURITE_SOCIALE')).to.equal(1);
      expect(cached.at).to.equal(first.at);
      expect(cached.counts.get('971')?.get('SECURITE_SOCIALE')).to.equal(1);
      expect(fresh.counts.get('971')?.get('SECURITE_SOCIALE')).to.equal(2);
    });

    it('lets a dashboard go without coverage while the first count is still running', async () => {
      const mod = await moderatorOf(['02']); // Martinique
      clearDashboardCounts();

      await syncNow(); // coverage is counted from the search index
      const cold = await coverageWithin(resolveScope(mod), 0);
      await syncNow(); // coverage is counted from the search index
      const warm = (await coverageWithin(resolveScope(mod)))!;

      expect(cold).to.equal(undefined);
      expect(warm.placeKind).to.equal('departement');
    });
  });

  describe('topMisses()', () => {
    it('returns the most frequent zero-result searches of the scope', async () => {
      const mod = await moderatorOf(['27', '24']);
      const miss = (query: string, region: string, count: number) => ({ key: query, query, region, count, lastAt: new Date() });
      await mongoose.connection.collection('search_misses').insertMany([
        miss('caf dijon', '27', 5), miss('mdph tours', '24', 9), miss('cpam besancon', '27', 1), miss('prefecture lyon', '84', 50),
      ]);

      const misses = await topMisses(resolveScope(mod), 2);

      expect(misses.map((m) => m.query)).to.deep.equal(['mdph tours', 'caf dijon']);
    });
  });
});
