import { withTenant, type Tx } from '@ciro/db';
import { BadUserInputError, NotFoundError, tenantContextFor } from '@ciro/subgraph-common';
import type { Caller } from '../caller';
import type { MeteringDeps } from '../context';
import { publishReadingsStored } from '../events/readings-stored';
import { storeForecasts } from '../forecasts/forecast-store.repository';
import { findClientTimeZone, rememberColumnMapping } from '../readings/meter-lookup.repository';
import { storeMeterReadings } from '../readings/store-readings';
import { parseStateOf, toUpload } from './upload.mapper';
import type { CommitSummary, StoredPreview, StoredStats } from './upload.model';
import { parseStoredUpload, sourceKeyOf, type ParsedUpload } from './upload-parsing';
import { findUpload, lockUpload, updateUploadRow } from './upload.repository';
import { publishStatus, uploadIdsOrThrow } from './upload.service';
import type { Upload } from './upload.type';

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
 * (deterministic), then readings are upserted and the hourly/daily rollups of the affected
 * customers recomputed in one transaction, and the upload marked COMMITTED with its summary.
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
  const parsed = await parseStoredUpload(
    { database: deps.database, blob: deps.blob, maxUploadBytes: deps.settings.maxUploadBytes },
    ctx,
    row,
    loaded.zone,
    state.overrides,
  );
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
