import { YearMonthScalar } from '@ciro/subgraph-common';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Customer } from '../customers/customer.type';
import { Meter } from '../meters/meter.type';

export enum UploadKind {
  METER_READINGS = 'METER_READINGS',
  FORECASTS = 'FORECASTS',
}
registerEnumType(UploadKind, {
  name: 'UploadKind',
  description: 'METER_READINGS: 15-minute meter exports (workbook or CSV). FORECASTS: hourly nominations per customer.',
});

export enum UploadStatus {
  RECEIVED = 'RECEIVED',
  PARSING = 'PARSING',
  PREVIEW_READY = 'PREVIEW_READY',
  COMMITTED = 'COMMITTED',
  FAILED = 'FAILED',
  DISCARDED = 'DISCARDED',
}
registerEnumType(UploadStatus, {
  name: 'UploadStatus',
  description:
    'RECEIVED (stored, parse queued) → PARSING → PREVIEW_READY (check the preview, then commit or discard) → COMMITTED; FAILED when the file cannot be read at all; DISCARDED by an admin.',
});

export enum CreateUploadOutcome {
  CREATED = 'CREATED',
  DUPLICATE = 'DUPLICATE',
}
registerEnumType(CreateUploadOutcome, {
  name: 'CreateUploadOutcome',
  description:
    'CREATED: a new upload. DUPLICATE: the same file (SHA-256) of the same kind is already committed or pending for this client; the existing upload is returned and nothing changed.',
});

export enum TimestampConvention {
  INTERVAL_END = 'INTERVAL_END',
  INTERVAL_START = 'INTERVAL_START',
}
registerEnumType(TimestampConvention, {
  name: 'TimestampConvention',
  description:
    'How a file stamps its 15-minute intervals: by their END (`00:15` is the slot starting 00:00, `24:00` the last of the day) or their START.',
});

export enum DateOrder {
  DMY = 'DMY',
  MDY = 'MDY',
  YMD = 'YMD',
}
registerEnumType(DateOrder, { name: 'DateOrder', description: 'Order of day, month and year in text dates.' });

export enum SourceMatch {
  MATCHED = 'MATCHED',
  UNKNOWN_METER = 'UNKNOWN_METER',
  OTHER_CLIENT_METER = 'OTHER_CLIENT_METER',
  NO_SERIAL = 'NO_SERIAL',
  DUPLICATE_METER = 'DUPLICATE_METER',
}
registerEnumType(SourceMatch, {
  name: 'SourceMatch',
  description:
    "How a sheet's serial matched this client's meters: MATCHED; UNKNOWN_METER (no such serial here); OTHER_CLIENT_METER (registered by another client); NO_SERIAL (choose one with setUploadMapping); DUPLICATE_METER (another sheet of the file covers the same meter and slots).",
});

export enum ProblemSeverity {
  ERROR = 'ERROR',
  WARNING = 'WARNING',
}
registerEnumType(ProblemSeverity, {
  name: 'ProblemSeverity',
  description: 'ERROR: blocks the commit until fixed. WARNING: imported as is, worth a look.',
});

@ObjectType({ description: 'A spreadsheet column: its header as written and its letter (A, B, …).' })
export class ProblemColumn {
  @Field()
  header!: string;

  @Field()
  letter!: string;
}

@ObjectType({ description: 'A run of missing 15-minute slots `[from, to)`.' })
export class SlotGap {
  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => Int)
  slots!: number;
}

@ObjectType({ description: 'A problem found in an uploaded file, located by sheet, row and column.' })
export class UploadProblem {
  @Field({
    description:
      'TEXT_IN_NUMBER, NEGATIVE_VALUE, MISSING_VALUE, BAD_TIMESTAMP, DUPLICATE_CONFLICT, OUTSIDE_PERIOD, GAP, UNKNOWN_SHEET, UNKNOWN_METER, OTHER_CLIENT_METER, DUPLICATE_METER, METER_NOT_ASSIGNED, SERIAL_MISMATCH, NO_HEADER, BAD_MAPPING, UNSUPPORTED_INTERVAL, VALUE_TOO_LARGE, UNKNOWN_CUSTOMER, FILE_TOO_LARGE, EMPTY_FILE, ZIP_BOMB, ENCRYPTED, TRUNCATED, UNREADABLE, UNSUPPORTED_FORMAT.',
  })
  code!: string;

  @Field(() => ProblemSeverity)
  severity!: ProblemSeverity;

  @Field(() => String, { nullable: true, description: 'Sheet name; null for a CSV or the file as a whole.' })
  sheet!: string | null;

  @Field(() => Int, { nullable: true, description: '1-based row in the sheet or file.' })
  row!: number | null;

  @Field(() => ProblemColumn, { nullable: true })
  column!: ProblemColumn | null;

  @Field(() => String, { nullable: true, description: 'The cell as stored (never a formula).' })
  value!: string | null;

  @Field(() => String, { nullable: true, description: 'What was expected instead.' })
  expected!: string | null;

  @Field()
  message!: string;

  @Field(() => SlotGap, { nullable: true, description: 'GAP: the missing slots.' })
  range!: SlotGap | null;
}

@ObjectType({ description: 'How the columns of a sheet were read (detected, or as overridden).' })
export class DetectedMapping {
  @Field(() => [String], { description: 'Header(s) of the timestamp: one date-time column, or date then time.' })
  timestamp!: string[];

  @Field({ description: 'Header of the consumption (delivered kWh) column.' })
  consumption!: string;

  @Field(() => String, { nullable: true })
  kvarh!: string | null;

  @Field(() => String, { nullable: true })
  serial!: string | null;

  @Field(() => TimestampConvention)
  convention!: TimestampConvention;

  @Field(() => String, { nullable: true, description: '"," or "." (text numbers).' })
  decimalSeparator!: string | null;

  @Field(() => String, { nullable: true, description: 'CSV separator.' })
  delimiter!: string | null;

  @Field(() => DateOrder, { nullable: true })
  dateOrder!: DateOrder | null;

  @Field({ description: 'HIGH, MEDIUM or LOW: confidence of the column choice.' })
  columnsConfidence!: string;

  @Field({ description: 'HIGH, MEDIUM or LOW: confidence of the timestamp convention.' })
  conventionConfidence!: string;

  @Field(() => [String], { description: 'Why the columns and convention were chosen.' })
  reasons!: string[];
}

@ObjectType({ description: 'The period a sheet covers: the declared period, the file’s own, or the data’s month.' })
export class CoveredPeriod {
  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => String, { nullable: true, description: '`YYYY-MM` when it is a calendar month.' })
  label!: string | null;

  @Field({ description: 'OPTION, METADATA or DATA.' })
  basis!: string;
}

@ObjectType({ description: 'A data row as stored in the file, aligned with the headers.' })
export class PreviewRow {
  @Field(() => Int)
  row!: number;

  @Field(() => [String], { nullable: 'items' })
  values!: (string | null)[];
}

@ObjectType({ description: 'A reading as it will be stored: slot start and raw register values.' })
export class PreviewReading {
  @Field(() => Int)
  row!: number;

  @Field()
  slotStart!: Date;

  @Field({ description: 'Raw kWh (the meter multiplier applies in consumption figures).' })
  kwh!: string;

  @Field(() => String, { nullable: true })
  kvarh!: string | null;
}

@ObjectType()
export class SourceCounts {
  @Field(() => Int, { description: 'Data rows read.' })
  rows!: number;

  @Field(() => Int, { description: 'Readings that will be stored (one per slot).' })
  readings!: number;

  @Field(() => Int)
  duplicatesCollapsed!: number;

  @Field(() => Int, { description: 'Rows not imported because of an error.' })
  rejected!: number;

  @Field(() => Int)
  outsidePeriod!: number;

  @Field(() => Int, { nullable: true })
  expectedSlots!: number | null;

  @Field(() => Int)
  missingSlots!: number;
}

@ObjectType({ description: 'A customer a matched meter counts for during the readings.' })
export class UploadSourceCustomer {
  @Field(() => Customer)
  customer!: Customer;

  @Field({ description: 'Business code, e.g. "C-0001".' })
  code!: string;

  @Field()
  name!: string;
}

@ObjectType({ description: 'One meter’s readings in the file (a sheet of a workbook, or a CSV / a serial in it).' })
export class UploadSource {
  @Field(() => String, { nullable: true })
  sheet!: string | null;

  @Field(() => String, { nullable: true })
  fileName!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Meter serial read from the sheet name, a column, a metadata line or the file name.',
  })
  serial!: string | null;

  @Field(() => String, { nullable: true, description: 'OVERRIDE, SHEET_NAME, METADATA, COLUMN or FILE_NAME.' })
  serialFrom!: string | null;

  @Field(() => String, { nullable: true })
  node!: string | null;

  @Field(() => SourceMatch)
  match!: SourceMatch;

  @Field(() => Meter, { nullable: true, description: 'The matched meter of this client.' })
  meter!: Meter | null;

  @Field(() => [UploadSourceCustomer])
  customers!: UploadSourceCustomer[];

  @Field(() => Int)
  headerRow!: number;

  @Field(() => [String])
  headers!: string[];

  @Field(() => [String], { description: 'Lines above the header.' })
  metadata!: string[];

  @Field({
    description:
      'DETECTED from headers and content, OVERRIDE set with setUploadMapping, REMEMBERED from the last upload committed with a mapping for this meter.',
  })
  mappingOrigin!: string;

  @Field(() => DetectedMapping)
  mapping!: DetectedMapping;

  @Field(() => CoveredPeriod, { nullable: true })
  period!: CoveredPeriod | null;

  @Field(() => [PreviewRow])
  firstRows!: PreviewRow[];

  @Field(() => [PreviewReading])
  firstReadings!: PreviewReading[];

  @Field(() => SourceCounts)
  counts!: SourceCounts;

  @Field(() => Date, { nullable: true })
  firstSlot!: Date | null;

  @Field(() => Date, { nullable: true })
  lastSlot!: Date | null;

  @Field(() => [SlotGap])
  gaps!: SlotGap[];

  @Field(() => [UploadProblem])
  problems!: UploadProblem[];
}

@ObjectType({ description: 'Forecast hours of one customer code in a forecast workbook.' })
export class ForecastPreviewCustomer {
  @Field()
  customerCode!: string;

  @Field(() => Customer, { nullable: true, description: 'Null when the code is not a customer of this client.' })
  customer!: Customer | null;

  @Field(() => String, { nullable: true })
  customerName!: string | null;

  @Field(() => Int)
  hours!: number;

  @Field(() => Date, { nullable: true })
  firstHour!: Date | null;

  @Field(() => Date, { nullable: true })
  lastHour!: Date | null;
}

@ObjectType({ description: 'What the parse found: nothing is stored until the upload is committed.' })
export class UploadPreview {
  @Field(() => String, { nullable: true, description: 'XLSX, XLS or CSV.' })
  format!: string | null;

  @Field({ description: 'True when nothing blocks a commit.' })
  committable!: boolean;

  @Field(() => [String], { description: 'Why a commit is refused, in words.' })
  blockers!: string[];

  @Field(() => Int, { description: 'Readings (or forecast hours) that a commit stores.' })
  readings!: number;

  @Field(() => Int)
  errorCount!: number;

  @Field(() => Int)
  warningCount!: number;

  @Field(() => [UploadProblem], { description: 'Problems of the file as a whole.' })
  problems!: UploadProblem[];

  @Field(() => [UploadSource], { description: 'METER_READINGS: one entry per meter found.' })
  sources!: UploadSource[];

  @Field(() => [ForecastPreviewCustomer], { description: 'FORECASTS: one entry per customer code.' })
  forecastCustomers!: ForecastPreviewCustomer[];
}

@ObjectType({ description: 'What a commit did to the stored readings.' })
export class UploadCommitSummary {
  @Field(() => Int, { description: 'Slots that had no reading.' })
  new!: number;

  @Field(() => Int, { description: 'Slots already stored with the same values (left alone).' })
  unchanged!: number;

  @Field(() => Int, { description: 'Slots whose values changed; they now record this upload as their source.' })
  replaced!: number;

  @Field(() => Int, { description: 'Customers whose hourly and daily figures were recomputed.' })
  customers!: number;
}

@ObjectType({ description: 'Why an upload FAILED.' })
export class UploadFailure {
  @Field()
  code!: string;

  @Field()
  message!: string;
}

@ObjectType({ description: 'A sheet mapped to a meter serial by an admin.' })
export class SheetSerial {
  @Field()
  sheet!: string;

  @Field()
  serial!: string;
}

@ObjectType({ description: 'An uploaded meter or forecast file and what became of it.' })
export class Upload {
  @Field(() => ID)
  id!: string;

  /** Raw uuids, for services; not in the schema. */
  rawClientId!: string;
  rawId!: string;

  @Field(() => ID, { description: 'The client the file belongs to.' })
  clientId!: string;

  @Field(() => UploadKind)
  kind!: UploadKind;

  @Field()
  fileName!: string;

  @Field(() => String, { nullable: true })
  contentType!: string | null;

  @Field(() => Int)
  sizeBytes!: number;

  @Field({ description: 'SHA-256 of the file, hex: the same file twice is a duplicate.' })
  sha256!: string;

  @Field(() => UploadStatus)
  status!: UploadStatus;

  @Field(() => YearMonthScalar, { nullable: true, description: 'Declared period, when given.' })
  period!: string | null;

  @Field(() => [SheetSerial], { description: 'Sheets mapped to meters by an admin.' })
  sheetSerials!: SheetSerial[];

  @Field(() => Int, { description: 'Bumped on each mapping change; the preview is of this revision.' })
  revision!: number;

  @Field(() => UploadPreview, { nullable: true, description: 'Set once the file is parsed.' })
  preview!: UploadPreview | null;

  @Field(() => UploadCommitSummary, { nullable: true, description: 'Set once COMMITTED.' })
  summary!: UploadCommitSummary | null;

  @Field(() => UploadFailure, { nullable: true, description: 'Set when FAILED.' })
  failure!: UploadFailure | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  committedAt!: Date | null;
}

@InputType({ description: 'Small files sent inline (base64); larger ones go to POST /v1/meter-readings/upload.' })
export class CreateUploadInput {
  @Field(() => ID)
  clientId!: string;

  @Field(() => UploadKind)
  kind!: UploadKind;

  @Field({ description: 'File name as uploaded, e.g. "Descargas medidores 2025-09.xlsx".' })
  fileName!: string;

  @Field({ description: 'The file, base64.' })
  contentBase64!: string;

  @Field(() => YearMonthScalar, {
    nullable: true,
    description: 'The month the file should cover: readings outside it are reported, gaps measured over it.',
  })
  period?: string;
}

@InputType({ description: 'Asks for a write-only link to upload one large file directly to blob storage.' })
export class RequestUploadUrlInput {
  @Field(() => ID)
  clientId!: string;

  @Field({ description: 'File name as the user chose it, e.g. "Descargas medidores 2025-09.xlsx".' })
  fileName!: string;
}

@InputType({ description: 'Turns a file uploaded through requestUploadUrl into an upload.' })
export class CreateUploadFromBlobInput {
  @Field(() => ID)
  clientId!: string;

  @Field(() => UploadKind)
  kind!: UploadKind;

  @Field({ description: 'The blobKey requestUploadUrl returned, once the file was PUT to its uploadUrl.' })
  blobKey!: string;

  @Field(() => String, { nullable: true, description: 'Defaults to the name given to requestUploadUrl.' })
  fileName?: string | null;

  @Field(() => YearMonthScalar, {
    nullable: true,
    description: 'The month the file should cover: readings outside it are reported, gaps measured over it.',
  })
  period?: string;
}

@InputType({ description: 'Maps a sheet (or CSV file) whose name names no meter to a meter serial.' })
export class SheetSerialInput {
  @Field()
  sheet!: string;

  @Field()
  serial!: string;
}

@InputType({ description: 'Column mapping override: columns by header (ignoring case and accents) or letter ("C").' })
export class MappingOverrideInput {
  @Field(() => [String], { nullable: true, description: 'One date-time column, or [date, time].' })
  timestamp?: string[];

  @Field({ nullable: true })
  consumption?: string;

  @Field(() => String, { nullable: true, description: 'kVArh column; explicit null: the file has none.' })
  kvarh?: string | null;

  @Field(() => String, { nullable: true, description: 'Serial column; explicit null: none.' })
  serial?: string | null;

  @Field(() => TimestampConvention, { nullable: true })
  convention?: TimestampConvention;

  @Field({ nullable: true, description: '"," or ".".' })
  decimalSeparator?: string;

  @Field({ nullable: true, description: 'CSV only.' })
  delimiter?: string;

  @Field(() => DateOrder, { nullable: true })
  dateOrder?: DateOrder;

  @Field(() => Int, { nullable: true, description: '1-based row of the header.' })
  headerRow?: number;
}

@InputType()
export class SheetMappingInput {
  @Field({ description: 'Sheet name, or the file name for a CSV.' })
  sheet!: string;

  @Field(() => MappingOverrideInput)
  mapping!: MappingOverrideInput;
}

@InputType({ description: 'Replaces the corrections of an upload and parses it again.' })
export class SetUploadMappingInput {
  @Field(() => ID)
  id!: string;

  @Field(() => YearMonthScalar, { nullable: true })
  period?: string;

  @Field(() => [SheetSerialInput], { nullable: true })
  sheetSerials?: SheetSerialInput[];

  @Field(() => MappingOverrideInput, { nullable: true, description: 'Applies to every sheet.' })
  mapping?: MappingOverrideInput;

  @Field(() => [SheetMappingInput], { nullable: true, description: 'Per sheet; wins over `mapping`.' })
  sheetMappings?: SheetMappingInput[];
}

@InputType()
export class UploadIdInput {
  @Field(() => ID)
  id!: string;
}
