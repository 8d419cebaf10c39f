/**
 * Pure scoring of signals (docs/trust.md « Validity », « Usefulness », « Rank »): a Beta estimate of
 * validity with a 90-day half-life, a Wilson lower bound of usefulness with a
 * one-year half-life, both weighted by member level, and the rank score.
 */
const DAY = 24 * 3600 * 1000;

/** Weight of a member's signal by level: N1 1, N2 1.25, N3 1.5, moderator 2. */
export function levelWeight(level: number, isModerator: boolean): number {
  if (isModerator) return 2;
  return level >= 3 ? 1.5 : level === 2 ? 1.25 : 1;
}

/** Weight of a report: 1 + level bonus (N1 1, N2 2, N3 3, moderator 5) → 2, 3, 4, 6. */
export function reportWeight(level: number, isModerator: boolean): number {
  return 1 + (isModerator ? 5 : Math.min(Math.max(level, 1), 3));
}

export const decay = (at: Date, now: Date, halfLifeDays: number) => 0.5 ** (Math.max(0, now.getTime() - at.getTime()) / DAY / halfLifeDays);

export interface ValiditySignal {
  positive: boolean;
  at: Date;
  weight: number;
}

/** α/(α+β) from the prior (2, 1) plus decayed, weighted signals. */
export function validity(signals: ValiditySignal[], now: Date, halfLifeDays = 90): number {
  let alpha = 2;
  let beta = 1;
  for (const s of signals) {
    const w = decay(s.at, now, halfLifeDays) * s.weight;
    if (s.positive) alpha += w;
    else beta += w;
  }
  return alpha / (alpha + beta);
}

/** Wilson score lower bound (z = 1.64, one-sided 95 %) for `pos` successes out of `n`. */
export function wilsonLower(pos: number, n: number, z = 1.64): number {
  if (n <= 0) return 0;
  const p = pos / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
}

export interface Vote {
  useful: boolean;
  at: Date;
  weight: number;
}

/**
 * Quality of a line from usefulness votes. A Laplace prior (one useful and one
 * not-useful vote) keeps unrated lines above zero, so validity still orders them.
 */
export function quality(votes: Vote[], now: Date, halfLifeDays = 365): number {
  let pos = 1;
  let n = 2;
  for (const v of votes) {
    const w = decay(v.at, now, halfLifeDays) * Math.min(v.weight, 1.5);
    n += w;
    if (v.useful) pos += w;
  }
  return wilsonLower(pos, n);
}

/** rankScore = quality × (0.5 + 0.5 × validity) × (0.7 when needs_check). */
export function rankScore(q: number, v: number, state: string): number {
  return q * (0.5 + 0.5 * v) * (state === 'needs_check' ? 0.7 : 1);
}
