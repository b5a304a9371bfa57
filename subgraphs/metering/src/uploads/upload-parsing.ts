import { asSystem, withTenant, type Database, type TenantContext } from '@ciro/db';
import {
  parseForecastWorkbook,
  parseMeterFile,
  type ForecastResult,
  type MappingOverride,
  type MeterFileResult,
  type MeterSource,
  type Problem,
} from '../parsing';
import {
  findSerialsOfOtherClients,
  listClientMeters,
  listCustomersByCode,
  listMeterAssignments,
} from '../readings/meter-lookup.repository';
import type { BlobStorage } from '../storage/blob-storage';
import { buildForecastPreview } from './forecast-preview';
import { buildMeterPreview, matchSources, serialKey, type MatchedSource } from './meter-preview';
import type { UploadRow } from './upload.repository';
import type { StoredFailure, StoredPreview, UploadOverrides } from './upload.model';

export interface ParseDeps {
  database: Database;
  blob: BlobStorage;
  maxUploadBytes: number;
}

export type ParsedUpload =
  | {
      kind: 'METER_READINGS';
      preview: StoredPreview;
      failure: StoredFailure | null;
      matched: MatchedSource[];
      /** Mappings the admin set for this upload, by sheet (or CSV file) name: remembered per meter on commit. */
      explicitMappings: Record<string, MappingOverride>;
    }
  | { kind: 'FORECASTS'; preview: StoredPreview; failure: StoredFailure | null; result: ForecastResult };

/** File-level codes after which nothing of the file can be read: the upload FAILS. */
const FATAL = new Set([
  'FILE_TOO_LARGE',
  'EMPTY_FILE',
  'ZIP_BOMB',
  'ENCRYPTED',
  'TRUNCATED',
  'UNREADABLE',
  'UNSUPPORTED_FORMAT',
]);

function failureOf(problems: readonly Problem[], nothingRead: boolean): StoredFailure | null {
  if (!nothingRead) return null;
  const fatal = problems.find((p) => p.severity === 'ERROR' && FATAL.has(p.code));
  return fatal ? { code: fatal.code, message: fatal.message } : null;
}

function parseMeterUpload(
  bytes: Buffer,
  row: UploadRow,
  zone: string,
  overrides: UploadOverrides,
  maxBytes: number,
  remembered: Record<string, MappingOverride> = {},
): MeterFileResult {
  const sheetMappings = { ...remembered, ...overrides.sheetMappings };
  return parseMeterFile(bytes, {
    fileName: row.fileName,
    zone,
    ...(overrides.period ? { period: overrides.period } : {}),
    ...(overrides.mapping ? { mapping: overrides.mapping } : {}),
    ...(Object.keys(sheetMappings).length > 0 ? { sheetMappings } : {}),
    ...(overrides.sheetSerials ? { sheetSerials: overrides.sheetSerials } : {}),
    limits: { maxBytes },
  });
}

/** The name a mapping override is keyed by: the sheet, or the file for a CSV. */
export function sourceKeyOf(source: MeterSource): string {
  return source.source.sheet ?? source.source.fileName ?? '';
}

/**
 * Mappings remembered for the matched meters, for sheets the admin did not map in this upload
 * (one meter per sheet: a CSV holding several meters is left to detection).
 */
function rememberedMappings(
  matched: readonly MatchedSource[],
  overrides: UploadOverrides,
): Record<string, MappingOverride> {
  if (overrides.mapping) return {};
  const perKey = new Map<string, number>();
  for (const m of matched) perKey.set(sourceKeyOf(m.source), (perKey.get(sourceKeyOf(m.source)) ?? 0) + 1);
  const out: Record<string, MappingOverride> = {};
  for (const m of matched) {
    const key = sourceKeyOf(m.source);
    const mapping = m.meter?.columnMapping;
    if (m.match !== 'MATCHED' || !mapping || overrides.sheetMappings?.[key] || perKey.get(key) !== 1) continue;
    out[key] = mapping;
  }
  return out;
}

/**
 * Reads the upload's file from blob storage and parses it in the client's zone with the
 * admin's overrides, then matches it to the client's meters (or customers, for forecasts).
 * Deterministic: the commit parses again and stores exactly what the preview showed.
 */
export async function parseStoredUpload(
  deps: ParseDeps,
  ctx: TenantContext,
  row: UploadRow,
  zone: string,
  overrides: UploadOverrides,
): Promise<ParsedUpload> {
  if (!row.blobKey) throw new Error(`upload ${row.id} has no blob`);
  const bytes = await deps.blob.getOrThrow(row.clientId, row.blobKey);
  const clientId = row.clientId;

  if (row.kind === 'FORECASTS') {
    const result = parseForecastWorkbook(bytes, {
      zone,
      fileName: row.fileName,
      ...(overrides.period ? { period: overrides.period } : {}),
      limits: { maxBytes: deps.maxUploadBytes },
    });
    const codes = [...new Set(result.customers.map((c) => c.customerCode.trim()))];
    const customers = await withTenant(deps.database, ctx, (tx) => listCustomersByCode(tx, clientId, codes));
    const preview = buildForecastPreview(result, { customers });
    return { kind: 'FORECASTS', preview, failure: failureOf(result.problems, result.customers.length === 0), result };
  }

  let result = parseMeterUpload(bytes, row, zone, overrides, deps.maxUploadBytes);
  const { meters, assignments } = await withTenant(deps.database, ctx, async (tx) => {
    const meters = await listClientMeters(tx, clientId);
    const serials = new Set(result.sources.flatMap((s) => (s.serial ? [serialKey(s.serial)] : [])));
    const used = meters.filter((m) => serials.has(serialKey(m.serial)));
    return {
      meters,
      assignments: await listMeterAssignments(
        tx,
        clientId,
        used.map((m) => m.id),
      ),
    };
  });
  const remembered = rememberedMappings(
    matchSources(result, { meters, assignments, foreignSerials: new Set() }),
    overrides,
  );
  if (Object.keys(remembered).length > 0) {
    result = parseMeterUpload(bytes, row, zone, overrides, deps.maxUploadBytes, remembered);
  }
  const known = new Set(meters.map((m) => serialKey(m.serial)));
  const unknown = result.sources.flatMap((s) => (s.serial && !known.has(serialKey(s.serial)) ? [s.serial.trim()] : []));
  const foreignSerials =
    unknown.length === 0
      ? new Set<string>()
      : await asSystem(deps.database, 'metering: is an unknown serial registered by another client', (tx) =>
          findSerialsOfOtherClients(tx, clientId, unknown),
        );
  const matchContext = { meters, assignments, foreignSerials };
  const explicitMappings: Record<string, MappingOverride> = {};
  const origins: Record<string, 'OVERRIDE' | 'REMEMBERED'> = {};
  for (const source of result.sources) {
    const key = sourceKeyOf(source);
    const explicit = overrides.sheetMappings?.[key] ?? overrides.mapping;
    if (explicit) {
      explicitMappings[key] = { ...overrides.mapping, ...overrides.sheetMappings?.[key] };
      origins[key] = 'OVERRIDE';
    } else if (remembered[key]) {
      origins[key] = 'REMEMBERED';
    }
  }
  const preview = buildMeterPreview(result, matchContext, (source) => origins[sourceKeyOf(source)] ?? 'DETECTED');
  return {
    kind: 'METER_READINGS',
    preview,
    failure: failureOf(result.problems, result.sources.length === 0),
    matched: matchSources(result, matchContext),
    explicitMappings,
  };
}
