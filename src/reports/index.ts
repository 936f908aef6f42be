export {
  countEntitlements, countDuplicateInvalid, countDuplicateInvalidByL1, duplicateInvalidL1s, reportAgeing, reportForecast, reportNoteQuality, reportFlow, COUNT_DIMENSIONS, AGEING_BUCKETS,
  type CountDimension, type CountsReport, type CountRow, type AgeingReport, type ForecastReport, type NoteQualityReport, type FlowReport, type ReportFilter, type PeriodOptions,
} from './reports.js';
export { findCodesOutsideTaxonomy, type CodeOutsideTaxonomy } from './codes-in-use.js';
