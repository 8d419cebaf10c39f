import { expect } from 'chai';
import { decay, levelWeight, quality, rankScore, reportWeight, validity, wilsonLower } from '../../src/signals/scoring';

const now = new Date('2026-11-29T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86400_000);

describe('scoring', () => {
  describe('validity()', () => {
    it('starts from the Beta(2, 1) prior and moves with weighted signals', () => {
      expect(validity([], now)).to.be.closeTo(2 / 3, 1e-9);
      expect(validity([{ positive: true, at: now, weight: 1 }], now)).to.be.closeTo(3 / 4, 1e-9);
      expect(validity([{ positive: false, at: now, weight: 2 }], now)).to.be.closeTo(2 / 5, 1e-9);
    });

    it('halves a signal’s weight every 90 days', () => {
      expect(decay(daysAgo(90), now, 90)).to.be.closeTo(0.5, 1e-9);
      expect(validity([{ positive: false, at: daysAgo(90), weight: 1 }], now)).to.be.closeTo(2 / 3.5, 1e-9);
    });
  });

  describe('wilsonLower()', () => {
    it('is 0 without votes and grows with consistent positive votes', () => {
      expect(wilsonLower(0, 0)).to.equal(0);
      expect(wilsonLower(10, 10)).to.be.greaterThan(wilsonLower(3, 3));
      expect(wilsonLower(3, 3)).to.be.greaterThan(wilsonLower(2, 3));
    });
  });

  describe('quality()', () => {
    it('keeps unrated lines above zero and caps one voter at 1.5', () => {
      expect(quality([], now)).to.be.greaterThan(0);
      expect(quality([{ useful: true, at: now, weight: 10 }], now)).to.equal(quality([{ useful: true, at: now, weight: 1.5 }], now));
    });
  });

  describe('rankScore()', () => {
    it('penalises needs_check and rewards validity', () => {
      expect(rankScore(0.5, 1, 'needs_check')).to.be.closeTo(0.35, 1e-9);
      expect(rankScore(0.5, 1, 'published')).to.be.greaterThan(rankScore(0.5, 0.5, 'published'));
    });
  });

  describe('weights', () => {
    it('follow docs/trust.md: levels 1.0/1.25/1.5/2.0 and reports 2/3/4/6', () => {
      expect([1, 2, 3].map((l) => levelWeight(l, false))).to.deep.equal([1, 1.25, 1.5]);
      expect(levelWeight(1, true)).to.equal(2);
      expect([1, 2, 3].map((l) => reportWeight(l, false))).to.deep.equal([2, 3, 4]);
      expect(reportWeight(1, true)).to.equal(6);
    });
  });
});
