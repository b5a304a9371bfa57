import type { CellValue, Convention, DateOrder, DecimalSeparator, MappingOverride } from '../parsing';

/** What an upload holds. */
export const UPLOAD_KINDS = ['METER_READINGS', 'FORECASTS'] as const;
export type UploadKindValue = (typeof UPLOAD_KINDS)[number];

/**
 * RECEIVED (stored, parse queued) → PARSING → PREVIEW_READY (or FAILED) → COMMITTED, or DISCARDED.
 * A mapping change sends a PREVIEW_READY/FAILED upload back to RECEIVED.
 */
export const UPLOAD_STATUSES = ['RECEIVED', 'PARSING', 'PREVIEW_READY', 'COMMITTED', 'FAILED', 'DISCARDED'] as const;
export type UploadStatusValue = (typeof UPLOAD_STATUSES)[number];

/** Uploads that make a second upload of the same file a duplicate: committed or still on their way. */
export const LIVE_STATUSES: readonly UploadStatusValue[] = ['RECEIVED', 'PARSING', 'PREVIEW_READY', 'COMMITTED'];

/** The admin's corrections, applied on every parse of the upload. */
export interface UploadOverrides {
  /** `YYYY-MM`: readings outside are reported and dropped, gaps measured over the month. */
  period?: string;
  /** Sheet (or CSV file) name → meter serial. */
  sheetSerials?: Record<string, string>;
  /** Applies to every source. */
  mapping?: MappingOverride;
  /** Per sheet; wins over `mapping`. */
  sheetMappings?: Record<string, MappingOverride>;
}

/** `uploads.detected_mapping`: the parse options in force and their revision (bumped on every change). */
export interface StoredParseState {
  revision: number;
  overrides: UploadOverrides;
}

export interface StoredProblem {
  code: string;
  severity: 'ERROR' | 'WARNING';
  sheet: string | null;
  row: number | null;
  column: { header: string; letter: string } | null;
  value: string | null;
  expected: string | null;
  message: string;
  /** GAP: the missing slots. ISO instants. */
  range: { from: string; to: string; slots: number } | null;
}

export type SourceMatch = 'MATCHED' | 'UNKNOWN_METER' | 'OTHER_CLIENT_METER' | 'NO_SERIAL' | 'DUPLICATE_METER';

export interface StoredMapping {
  timestamp: string[];
  consumption: string;
  kvarh: string | null;
  serial: string | null;
  convention: Convention;
  decimalSeparator: DecimalSeparator | null;
  delimiter: string | null;
  dateOrder: DateOrder | null;
  columnsConfidence: string;
  conventionConfidence: string;
  reasons: string[];
}

export interface StoredSource {
  sheet: string | null;
  fileName: string | null;
  serial: string | null;
  serialFrom: string | null;
  node: string | null;
  match: SourceMatch;
  /** Raw uuids (the GraphQL layer makes them global ids). */
  meterId: string | null;
  customers: { id: string; code: string; name: string }[];
  headerRow: number;
  headers: string[];
  metadata: string[];
  /** DETECTED from headers and content, OVERRIDE set on this upload, REMEMBERED from the meter's last confirmed upload. */
  mappingOrigin?: 'DETECTED' | 'OVERRIDE' | 'REMEMBERED';
  mapping: StoredMapping;
  period: { from: string; to: string; label: string | null; basis: string } | null;
  firstRows: { row: number; values: (string | null)[] }[];
  /** The first readings as they will be stored (slot start, raw register values). */
  firstReadings: { row: number; slotStart: string; kwh: string; kvarh: string | null }[];
  counts: {
    rows: number;
    readings: number;
    duplicatesCollapsed: number;
    rejected: number;
    outsidePeriod: number;
    expectedSlots: number | null;
    missingSlots: number;
  };
  firstSlot: string | null;
  lastSlot: string | null;
  gaps: { from: string; to: string; slots: number }[];
  problems: StoredProblem[];
}

export interface StoredForecastCustomer {
  customerCode: string;
  customerId: string | null;
  customerName: string | null;
  hours: number;
  firstHour: string | null;
  lastHour: string | null;
}

export interface StoredPreview {
  format: string | null;
  /** METER_READINGS */
  sources: StoredSource[];
  /** FORECASTS */
  forecastCustomers: StoredForecastCustomer[];
  forecastMapping: {
    customer: string;
    timestamp: string[];
    kwh: string;
    convention: Convention;
    reasons: string[];
  } | null;
  /** Problems of the file as a whole (and of sheets that yielded no source). */
  problems: StoredProblem[];
  readings: number;
  errorCount: number;
  warningCount: number;
  /** True when nothing blocks a commit: every source matched to a meter of this client, no ERROR problem. */
  committable: boolean;
  /** Why a commit is refused, in words. */
  blockers: string[];
}

export interface CommitSummary {
  new: number;
  unchanged: number;
  replaced: number;
  /** Customers whose hourly/daily rollups were recomputed. */
  customers: number;
}

/** `uploads.stats` */
export interface StoredStats {
  summary?: CommitSummary;
}

/** `uploads.errors`: a file-level failure (parse failed, blob missing). */
export interface StoredFailure {
  code: string;
  message: string;
}

export function cellText(value: CellValue): string | null {
  if (value === null) return null;
  return typeof value === 'string' ? value : String(value);
}
