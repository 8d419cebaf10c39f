/** Signals → the short, factual phrases members read. */
import { count } from '../core/plural';
import { CALL_OUTCOMES, CONFIRMATION_KINDS, REPORT_KINDS, type ConfirmationDoc, type RatingDoc, type ReportDoc, USEFUL_TAGS } from './signal.models';

/** Below this many votes no count is shown (the `minVotesShown` setting's default): with one or two, colleagues could tell who voted what. */
export const MIN_VOTES_SHOWN = 3;

/** A count of votes, or undefined below `minVotes`. */
export const shownCount = (n: number, minVotes = MIN_VOTES_SHOWN): number | undefined => (n >= minVotes ? n : undefined);

/** "12 situations débloquées · utile pour 9 collègues sur 10", shown only from `minVotes` votes so no vote can be attributed. */
export function usefulness(helpful: number, notHelpful: number, minVotes = MIN_VOTES_SHOWN): string | undefined {
  const n = helpful + notHelpful;
  if (n < minVotes) return undefined;
  const tenths = Math.round((helpful / n) * 10);
  return `${count(helpful, 'situation débloquée', 'situations débloquées')} · utile pour ${count(tenths, 'collègue', 'collègues')} sur 10`;
}

export const confirmationChoices = Object.entries(CONFIRMATION_KINDS).map(([code, k]) => ({ code, label: k.label, positive: k.positive }));
/**
 * What the contact page still offers besides « J’ai appelé » (whose three outcomes say « ça marche »,
 * « pas de réponse » and « numéro faux »): the two statements a call does not make. The other kinds are
 * still accepted and shown as the member's earlier answer.
 */
export const OTHER_CONFIRMATION_CODES: readonly string[] = ['still_valid', 'left'];
export const otherConfirmationChoices = confirmationChoices.filter((c) => OTHER_CONFIRMATION_CODES.includes(c.code));
export const reportChoices = Object.entries(REPORT_KINDS).map(([code, label]) => ({ code, label }));
export const tagChoices = Object.entries(USEFUL_TAGS).map(([code, label]) => ({ code, label }));

export function presentMySignals(mine: { rating?: RatingDoc; confirmation?: ConfirmationDoc; report?: ReportDoc }) {
  return {
    useful: mine.rating ? (mine.rating.useful ? 'oui' : 'non') : undefined,
    tags: mine.rating?.tags ?? [],
    accountPending: mine.rating?.accountState === 'pending',
    confirmation: mine.confirmation ? { code: mine.confirmation.kind, label: CONFIRMATION_KINDS[mine.confirmation.kind as keyof typeof CONFIRMATION_KINDS]?.label, at: mine.confirmation.at } : undefined,
    report: mine.report ? { label: REPORT_KINDS[mine.report.kind as keyof typeof REPORT_KINDS], at: mine.report.createdAt } : undefined,
  };
}

/**
 * « joint par 5 collègues ce mois-ci », from one colleague on: reaching a line is a fact about the
 * line, not a judgement of anyone, and the negative outcomes are never counted on the page.
 */
export const reachedLine = (n: number): string | undefined => (n > 0 ? `joint par ${count(n, 'collègue', 'collègues')} ce mois-ci` : undefined);

export const callChoices = Object.entries(CALL_OUTCOMES).map(([code, o]) => ({ code, label: o.label, positive: o.positive }));
