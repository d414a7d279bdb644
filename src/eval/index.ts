/**
 * Evaluation of alerts against ground truth (`rastro eval`): precision, recall and F1 at transaction and
 * account level, recall per laundering scheme and attempt, precision per alert typology, and false alerts
 * on the benign background. Label columns are read here and by no engine.
 */
export { AlertLine, parseAlertLine, readAlertsFile, MAX_ALERT_LINE_BYTES, type AlertLineError } from './alerts.js';
export { AlertIndex, type PredictedTransaction } from './alert-index.js';
export { TRUTH_LIST_LAYOUTS, TRUTH_LIST_NAMES, truthListLayout, readTruthList, type TruthListLayout, type TruthListRow } from './truth-lists.js';
export {
  Evaluator,
  DEFAULT_ATTEMPT_COVERAGE,
  MAX_LISTED_MISSED_ATTEMPTS,
  ACCOUNT_LABEL_PREFIX,
  ratio,
  f1,
  type EvaluatorOptions,
  type EvalMetrics,
  type LevelFigures,
  type SchemeFigures,
  type TypologyFigures,
  type CaughtBy,
  type FalseAlerts,
} from './evaluator.js';
export { PatternIndex, type PatternMatchCounts } from './patterns.js';
export { normaliseScheme, compareSchemes, UNKNOWN_SCHEME, SCHEME_ORDER } from './scheme.js';
export { evaluateFiles, MAX_LISTED_PROBLEMS, type EvaluateFilesOptions, type EvalReport, type EvalResult, type TruthLayout } from './run.js';
export { formatReport, percent, table } from './format.js';
