/** Meter and forecast file parsers: pure (bytes in, result out), no I/O. */
export { parseMeterFile, allProblems } from './meter-file.parser';
export { parseForecastWorkbook } from './forecast.parser';
export { checkFileSafety, DEFAULT_LIMITS, type SafetyResult } from './safety';
export type {
  CellValue,
  ColumnRef,
  Confidence,
  Convention,
  CoveredPeriod,
  CustomerForecast,
  DateOrder,
  DecimalSeparator,
  ForecastHour,
  ForecastMapping,
  ForecastOptions,
  ForecastResult,
  MappingOverride,
  MeterFileOptions,
  MeterFileResult,
  MeterMapping,
  MeterSource,
  ParseLimits,
  Problem,
  ProblemCode,
  ProblemColumn,
  Reading,
  SerialOrigin,
  Severity,
  SourceRef,
} from './types';
