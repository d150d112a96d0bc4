export { jsonReport, JSON_REPORT_VERSION } from './jsonReport';
export {
  sarifReport,
  SARIF_MAX_RESULTS,
  type SarifOptions,
} from './sarifReport';
export {
  cycloneDxReport,
  type CycloneDxOptions,
  type CycloneDxBom,
} from './cyclonedxReport';
export { textReport, type TextReportOptions } from './textReport';
export { rulesMarkdown, rulesJson } from './rulesCatalogue';
export { formatLocation } from './location';
