import { withTenant, type TenantContext, type Tx } from '@ciro/db';
import { BadUserInputError, NotFoundError, tenantContextFor } from '@ciro/subgraph-common';
import type { Caller } from '../caller';
import type { MeteringDeps } from '../context';
import { publishReadingsStored } from '../events/readings-stored';
import { storeForecasts } from '../forecasts/forecast-store.repository';
import { isolatedCommitParser, parseThreadAvailable, type CommitParseRunner } from '../jobs/parse-isolation';
import { findClientTimeZone, rememberColumnMapping } from '../readings/meter-lookup.repository';
import { storeMeterReadings } from '../readings/store-readings';
import { parseStateOf, toUpload } from './upload.mapper';
import type { CommitSummary, StoredFailure, StoredPreview, StoredStats } from './upload.model';
import { parseStoredUpload, sourceKeyOf, type ParsedUpload } from './upload-parsing';
import { findUpload, lockUpload, updateUploadRow, type UploadRow } from './upload.repository';
import { publishStatus, uploadIdsOrThrow } from './upload.service';
import type { Upload } from './upload.type';

/**
 * Where commitUpload parses the file again (the server builds it once, into `deps.parseForCommit`):
 * like the parse job, a thread whose heap is capped at `settings.parseMaxMemoryMb`
 * (METERING_PARSE_MAX_MEMORY_MB); in this process, uncapped, when the compiled thread is not
 * available (running from TypeScript sources without `script`, a password callback).
 */
export function createCommitParser(
  deps: Pick<MeteringDeps, 'database' | 'blob' | 'settings' | 'logger'>,
  script?: string,
): CommitParseRunner {
  const parseDeps = { database: deps.database, blob: deps.blob, maxUploadBytes: deps.settings.maxUploadBytes };
  const available = parseThreadAvailable(deps.database, script);
  if (available) {
    return isolatedCommitParser({ ...parseDeps, maxMemoryMb: deps.settings.parseMaxMemoryMb, script: available });
  }
  deps.logger.warn('uploads are committed in the subgraph process, without a memory cap (no compiled parse thread)');
  return async ({ ctx, row, zone, overrides }) => ({
    ok: true,
    parsed: await parseStoredUpload(parseDeps, ctx, row, zone, overrides),
  });
}

/**
 * The file could not be read again within the memory cap: the upload FAILS with the reason (as
 * when the parse job hits the cap), unless it changed meanwhile. Nothing was stored.
 */
async function failCommit(
  deps: MeteringDeps,
  ctx: TenantContext,
  row: UploadRow,
  revision: number,
  failure: StoredFailure,
): Promise<void> {
  const failed = await withTenant(deps.database, ctx, async (tx) => {
    const locked = await lockUpload(tx, row.clientId, row.id);
    if (!locked || locked.status !== 'PREVIEW_READY' || parseStateOf(locked).revision !== revision) return null;
    return updateUploadRow(tx, row.clientId, row.id, { status: 'FAILED', errors: [failure] });
  });
  if (failed) await publishStatus(deps, failed, 'FAILED', failure.message);
}

async function storeParsed(
  tx: Tx,
  parsed: ParsedUpload,
  scope: { clientId: string; uploadId: string; zone: string },
): Promise<CommitSummary> {
  if (parsed.kind === 'FORECASTS') {
    const ids = new Map(parsed.preview.forecastCustomers.map((c) => [c.customerCode, c.customerId]));
    const forecasts = parsed.result.customers.flatMap((c) => {
      const customerId = ids.get(c.customerCode);
      return customerId ? c.hours.map((h) => ({ customerId, hourStart: h.hourStart, kwh: h.kwh.toFixed() })) : [];
    });
    const counts = await storeForecasts(tx, scope.clientId, scope.uploadId, forecasts);
    return { ...counts, customers: new Set(forecasts.map((f) => f.customerId)).size };
  }
  const summary = await storeMeterReadings(tx, { ...scope, matched: parsed.matched });
  // Committing confirms the admin's mapping: the meter's next files are read the same way.
  for (const m of parsed.matched) {
    const mapping = parsed.explicitMappings[sourceKeyOf(m.source)];
    if (m.match === 'MATCHED' && m.meter && mapping)
      await rememberColumnMapping(tx, scope.clientId, m.meter.id, mapping);
  }
  return summary;
}

/**
 * Stores what the preview showed, all or nothing: the file is parsed again from blob storage
 * (deterministic; in a thread with the parse job's memory cap: a file that needs more fails the
 * upload with PARSE_MEMORY_LIMIT and stores nothing), then readings are upserted and the
 * hourly/daily rollups of the affected customers recomputed in one transaction, and the upload
 * marked COMMITTED with its summary.
 * Committing a committed upload again changes nothing and returns its summary.
 */
export async function commitUpload(
  deps: MeteringDeps,
  caller: Caller,
  globalId: string,
): Promise<{ upload: Upload; summary: CommitSummary }> {
  const { clientId, uploadId } = uploadIdsOrThrow(caller, globalId);
  const ctx = tenantContextFor(caller.identity, clientId);
  const loaded = await withTenant(deps.database, ctx, async (tx) => ({
    row: await findUpload(tx, clientId, uploadId),
    zone: await findClientTimeZone(tx, clientId),
  }));
  const row = loaded.row;
  if (!row || !loaded.zone) throw new NotFoundError('Upload', globalId);
  const done = (row.stats as StoredStats | null)?.summary;
  if (row.status === 'COMMITTED' && done) return { upload: toUpload(row), summary: done };
  if (row.status !== 'PREVIEW_READY') {
    throw new BadUserInputError(
      'id',
      `The upload is ${row.status}; only an upload whose preview is ready can be committed`,
    );
  }
  const preview = row.preview as StoredPreview | null;
  if (!preview?.committable) {
    throw new BadUserInputError(
      'id',
      `The upload cannot be committed: ${(preview?.blockers ?? ['no preview']).join('; ')}`,
    );
  }
  const state = parseStateOf(row);
  await publishStatus(deps, row, 'COMMITTING');
  const result = await deps.parseForCommit({ ctx, row, zone: loaded.zone, overrides: state.overrides });
  if (!result.ok) {
    await failCommit(deps, ctx, row, state.revision, result.failure);
    throw new BadUserInputError('id', `The upload cannot be committed: ${result.failure.message}`);
  }
  const parsed = result.parsed;
  if (!parsed.preview.committable) {
    // Meters or customers changed since the preview was made.
    throw new BadUserInputError('id', `The upload cannot be committed any more: ${parsed.preview.blockers.join('; ')}`);
  }

  const zone = loaded.zone;
  const committed = await withTenant(deps.database, ctx, async (tx) => {
    const locked = await lockUpload(tx, clientId, uploadId);
    if (!locked || locked.status !== 'PREVIEW_READY' || parseStateOf(locked).revision !== state.revision) {
      throw new BadUserInputError(
        'id',
        'The upload changed while committing (re-mapped, discarded or committed); reload it',
      );
    }
    const summary = await storeParsed(tx, parsed, { clientId, uploadId, zone });
    const stats: StoredStats = { summary };
    const updated = await updateUploadRow(tx, clientId, uploadId, {
      status: 'COMMITTED',
      stats,
      committedAt: new Date(),
      preview: parsed.preview,
    });
    if (!updated) throw new NotFoundError('Upload', globalId);
    return { row: updated, summary };
  });
  const { summary } = committed;
  await publishStatus(
    deps,
    committed.row,
    'COMMITTED',
    `${summary.new} new, ${summary.unchanged} unchanged, ${summary.replaced} replaced`,
  );
  if (parsed.kind === 'METER_READINGS') {
    const stored = parsed.matched.flatMap((m) =>
      m.match === 'MATCHED' && m.meter ? [{ ...m.meter, meterId: m.meter.id, readings: m.source.readings }] : [],
    );
    await publishReadingsStored(deps, { ...ctx, clientId }, stored, { source: 'UPLOAD', uploadId });
  }
  return { upload: toUpload(committed.row), summary };
}
