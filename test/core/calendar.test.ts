import { expect } from 'chai';
import { daysBetween, parisDayEnd, parisDayStart, parisWeekStart } from '../../src/core/calendar';

describe('calendar', () => {
  describe('parisDayStart()', () => {
    it('gives Paris midnight in winter (UTC+1) and in summer (UTC+2)', () => {
      expect(parisDayStart('2026-01-15')!.toISOString()).to.equal('2026-01-14T23:00:00.000Z');
      expect(parisDayStart('2026-07-15')!.toISOString()).to.equal('2026-07-14T22:00:00.000Z');
    });

    it('handles the days clocks change', () => {
      expect(parisDayStart('2026-03-29')!.toISOString()).to.equal('2026-03-28T23:00:00.000Z');
      expect(parisDayStart('2026-10-25')!.toISOString()).to.equal('2026-10-24T22:00:00.000Z');
    });

    it('refuses impossible or malformed dates', () => {
      expect(parisDayStart('2026-02-30')).to.equal(undefined);
      expect(parisDayStart('15/01/2026')).to.equal(undefined);
    });
  });

  describe('parisDayEnd()', () => {
    it('gives the next Paris midnight, across a clock change and a month end', () => {
      expect(parisDayEnd('2026-03-28')!.toISOString()).to.equal('2026-03-28T23:00:00.000Z');
      expect(parisDayEnd('2026-03-29')!.toISOString()).to.equal('2026-03-29T22:00:00.000Z');
      expect(parisDayEnd('2026-01-31')!.toISOString()).to.equal('2026-01-31T23:00:00.000Z');
    });
  });

  describe('parisWeekStart()', () => {
    it('gives Monday 00:00 Paris time of the week, and earlier weeks', () => {
      // Sunday 1 March 2026, 23:30 in Paris (22:30 UTC) still belongs to the week of Monday 23 February.
      const sundayNight = new Date('2026-03-01T22:30:00Z');
      // Monday 2 March 2026, 00:30 in Paris (23:30 UTC the day before) starts a new week.
      const mondayEarly = new Date('2026-03-01T23:30:00Z');

      expect(parisWeekStart(sundayNight).toISOString()).to.equal('2026-02-22T23:00:00.000Z');
      expect(parisWeekStart(mondayEarly).toISOString()).to.equal('2026-03-01T23:00:00.000Z');
      expect(parisWeekStart(new Date('2026-04-01T10:00:00Z'), -1).toISOString()).to.equal('2026-03-22T23:00:00.000Z');
    });
  });

  describe('daysBetween()', () => {
    it('counts whole days', () => {
      expect(daysBetween(new Date('2026-03-01T10:00:00Z'), new Date('2026-03-04T09:00:00Z'))).to.equal(2);
    });
  });
});
