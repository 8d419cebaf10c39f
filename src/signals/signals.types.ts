/** The signals' vocabulary other features use at runtime (the models stay private to signals/). */
export { CALL_OUTCOMES, type CallOutcome, DATA_QUALITY_KINDS, REPORT_KINDS, type ReportKind } from './signal.models';
