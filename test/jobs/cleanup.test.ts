import { expect } from 'chai';
import mongoose from 'mongoose';
import { Counter } from '../../src/core/counters';
import { runCleanup } from '../../src/jobs/cleanup';
import { MemberToken } from '../../src/members/member-token.model';
import { RateCounter } from '../../src/security/rate-limit.model';
import { SecurityEvent } from '../../src/security/security-event.model';

const DAY = 24 * 3600 * 1000;

describe('cleanup', () => {
  describe('runCleanup()', () => {
    it('deletes expired sessions, tokens and counters and security events older than 12 months, and keeps the rest', async () => {
      const now = new Date();
      const sessions = mongoose.connection.collection('sessions');
      await sessions.insertMany([
        { _id: 'old' as never, expires: new Date(now.getTime() - 1000), session: {} },
        { _id: 'live' as never, expires: new Date(now.getTime() + DAY), session: {} },
      ]);
      const memberId = new mongoose.Types.ObjectId();
      await MemberToken.create([
        { memberId, purpose: 'verify_email', tokenHash: 'a'.repeat(64), expiresAt: new Date(now.getTime() - 1000) },
        { memberId, purpose: 'reset_password', tokenHash: 'b'.repeat(64), expiresAt: new Date(now.getTime() + DAY) },
      ]);
      await RateCounter.create([
        { _id: 'gone', points: 3, expire: new Date(now.getTime() - 1000) },
        { _id: 'kept', points: 3, expire: new Date(now.getTime() + DAY) },
      ]);
      await Counter.create([
        { _id: 'ratings:x:2000-01-01', n: 3, expiresAt: new Date(now.getTime() - 1000) },
        { _id: 'ratings:x:today', n: 3, expiresAt: new Date(now.getTime() + DAY) },
      ]);
      await SecurityEvent.create([
        { type: 'signin_success', at: new Date(now.getTime() - 370 * DAY) },
        { type: 'signin_success', at: new Date(now.getTime() - 300 * DAY) },
      ]);

      const result = await runCleanup(now);
      const again = await runCleanup(now);

      expect(result).to.deep.equal({ sessions: 1, tokens: 1, rateLimits: 1, counters: 1, securityEvents: 1, agentLinks: 0, importDrafts: 0 });
      expect(again).to.deep.equal({ sessions: 0, tokens: 0, rateLimits: 0, counters: 0, securityEvents: 0, agentLinks: 0, importDrafts: 0 });
      expect(await Counter.countDocuments({})).to.equal(1);
      expect(await sessions.countDocuments({ _id: 'live' as never })).to.equal(1);
      expect(await MemberToken.countDocuments({})).to.equal(1);
      expect(await RateCounter.countDocuments({ _id: 'kept' })).to.equal(1);
      expect(await SecurityEvent.countDocuments({})).to.equal(1);
    });
  });
});
