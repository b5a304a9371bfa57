import { asSystem, withTenant, type Database, type TenantContext } from '@ciro/db';
import {
  parseForecastWorkbook,
  parseMeterFile,
  type ForecastResult,
  type MeterFileResult,
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
  | { kind: 'METER_READINGS'; preview: StoredPreview; failure: StoredFailure | null; matched: MatchedSource[] }
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
): MeterFileResult {
  return parseMeterFile(bytes, {
    fileName: row.fileName,
    zone,
    ...(overrides.period ? { period: overrides.period } : {}),
    ...(overrides.mapping ? { mapping: overrides.mapping } : {}),
    ...(overrides.sheetMappings ? { sheetMappings: overrides.sheetMappings } : {}),
    ...(overrides.sheetSerials ? { sheetSerials: overrides.sheetSerials } : {}),
    limits: { maxBytes },
  });
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

  const result = parseMeterUpload(bytes, row, zone, overrides, deps.maxUploadBytes);
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
  const known = new Set(meters.map((m) => serialKey(m.serial)));
  const unknown = result.sources.flatMap((s) => (s.serial && !known.has(serialKey(s.serial)) ? [s.serial.trim()] : []));
  const foreignSerials =
    unknown.length === 0
      ? new Set<string>()
      : await asSystem(deps.database, 'metering: is an unknown serial registered by another client', (tx) =>
          findSerialsOfOtherClients(tx, clientId, unknown),
        );
  const matchContext = { meters, assignments, foreignSerials };
  const preview = buildMeterPreview(result, matchContext);
  return {
    kind: 'METER_READINGS',
    preview,
    failure: failureOf(result.problems, result.sources.length === 0),
    matched: matchSources(result, matchContext),
  };
}
