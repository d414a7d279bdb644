/**
 * Reports out of cases: goAML XML STR/SAR and FinCEN SAR XML, validated against their schemas; the
 * per-agency reporting settings (code lists) they are written with.
 */
export { buildGoamlReport } from './goaml.js';
export { buildFincenSar } from './fincen.js';
export { validateReport, parseLintOutput, REPORT_SCHEMAS, type ReportSchema, type ValidationIssue } from './validate.js';
export { ReportingSettings, GoamlSettings, FincenSettings, defaultReportingSettings, parseSettings } from './config.js';
export type { CaseBundle } from './bundle.js';
