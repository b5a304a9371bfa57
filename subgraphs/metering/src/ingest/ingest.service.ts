import { asSystem, schema, withTenant, type Tx } from '@ciro/db';
import {
  BadUserInputError,
  ForbiddenError,
  InputValidationError,
  NotFoundError,
  fromTenantIdOrThrow,
  hasAnyScope,
  recordAudit,
  tenantContextFor,
  toGlobalId,
} from '@ciro/subgraph-common';
import { and, eq, or, sql } from 'drizzle-orm';
import type { Caller } from '../caller';
import type { MeteringDeps } from '../context';
import { publishReadingsStored } from '../events/readings-stored';
import type { MeterSource } from '../parsing';
import { findClientTimeZone, findSerialsOfOtherClients, type MeterInfo } from '../readings/meter-lookup.repository';
import { storeMeterReadings } from '../readings/store-readings';
import { serialKey, type MatchedSource } from '../uploads/meter-preview';
import type { Meter } from '../meters/meter.type';
import { validateIngestReadings, type Convention, type RawIngestReading } from './ingest-validation';
import { MAX_INGEST_READINGS, type IngestReadingsSummary } from './ingest.type';

export interface IngestReadingsRequest {
  meterId?: string | null;
  meterSerial?: string | null;
  clientId?: string | null;
  convention?: Convention | null;
  readings: readonly RawIngestReading[];
}

export interface IngestReadingsResult {
  meter: Meter;
  summary: IngestReadingsSummary;
}

/** Which client and meter the request names (tenant-checked: another client's ids are FORBIDDEN). */
function targetOf(
  caller: Caller,
  input: IngestReadingsRequest,
): { clientId: string; meterId: string | null; serial: string | null } {
  const hasId = Boolean(input.meterId);
  const serial = input.meterSerial?.trim() || null;
  if (hasId === Boolean(serial)) {
    throw new BadUserInputError('meterId', 'Give exactly one of meterId and meterSerial');
  }
  if (input.meterId) {
    const { clientId, id } = fromTenantIdOrThrow('Meter', input.meterId);
    if (input.clientId && fromTenantIdOrThrow('Client', input.clientId).clientId !== clientId) {
      throw new BadUserInputError('clientId', 'clientId is not the client of meterId');
    }
    tenantContextFor(caller.identity, clientId);
    return { clientId, meterId: id, serial: null };
  }
  const clientId = input.clientId ? fromTenantIdOrThrow('Client', input.clientId).clientId : caller.identity.clientId;
  if (!clientId) throw new BadUserInputError('clientId', 'clientId is needed with meterSerial for this caller');
  tenantContextFor(caller.identity, clientId);
  return { clientId, meterId: null, serial };
}

async function findMeter(
  tx: Tx,
  clientId: string,
  target: { meterId: string | null; serial: string | null },
): Promise<MeterInfo | null> {
  const m = schema.meters;
  const which = target.meterId
    ? eq(m.id, target.meterId)
    : // Serials compare as in uploads: ignoring spaces, leading zeros and case.
      or(
        eq(m.serial, target.serial ?? ''),
        sql`upper(regexp_replace(regexp_replace(${m.serial}, '\\s+', '', 'g'), '^0+(?=.)', '')) = ${serialKey(target.serial ?? '')}`,
      );
  const [row] = await tx
    .select({
      id: m.id,
      serial: m.serial,
      multiplier: m.multiplier,
      channel: m.consumptionChannel,
    })
    .from(m)
    .where(and(eq(m.clientId, clientId), which))
    .limit(1);
  return row ? { ...row, columnMapping: null } : null;
}

/**
 * `ingestReadings`: a head-end pushes 15-minute readings of one meter. Validated (every problem
 * names `readings.<i>.<field>`), then stored through the same path as upload commits (staging
 * table + upsert, rollups recomputed in the same transaction) with no upload as provenance and an
 * audit entry `readings.ingest`; idempotent (the same readings again are `unchanged`). A
 * `readings.stored` event (source INGEST) is published when something changed.
 */
export async function ingestReadings(
  deps: Pick<MeteringDeps, 'database' | 'readingEvents' | 'logger'>,
  caller: Caller,
  input: IngestReadingsRequest,
  now: Date = new Date(),
): Promise<IngestReadingsResult> {
  if (!hasAnyScope(caller.identity.scopes, ['readings:write'])) {
    throw new ForbiddenError('This needs the scope readings:write');
  }
  const target = targetOf(caller, input);
  const { clientId } = target;
  const tenant = tenantContextFor(caller.identity, clientId);
  if (input.readings.length > MAX_INGEST_READINGS) {
    throw new BadUserInputError(
      'readings',
      `Send at most ${MAX_INGEST_READINGS} readings per call; got ${input.readings.length} (split them into several calls)`,
    );
  }
  const outcome = await withTenant(caller.database, tenant, async (tx) => {
    const zone = await findClientTimeZone(tx, clientId);
    if (!zone) throw new NotFoundError('Client', toGlobalId('Client', clientId, clientId));
    const meter = await findMeter(tx, clientId, target);
    if (!meter) return null;
    const { readings, problems } = validateIngestReadings(input.readings, {
      zone,
      convention: input.convention ?? 'INTERVAL_START',
      now,
      max: MAX_INGEST_READINGS,
    });
    if (problems.length > 0) throw new InputValidationError(problems);
    const matched: MatchedSource[] = [
      {
        match: 'MATCHED',
        meter,
        // Only the readings are read by the store; the rest of a parsed source does not apply.
        source: { readings: readings.map((r) => ({ ...r, row: r.index + 1 })) } as unknown as MeterSource,
      },
    ];
    const stored = await storeMeterReadings(tx, { clientId, uploadId: null, zone, matched });
    const first = readings[0];
    const last = readings.at(-1)!;
    await recordAudit(
      tx,
      { identity: caller.identity, requestId: caller.requestId },
      {
        clientId,
        action: 'readings.ingest',
        entityType: 'Meter',
        entityId: meter.id,
        after: {
          source: 'INGEST',
          serial: meter.serial,
          slots: readings.length,
          firstSlotStart: first.slotStart,
          lastSlotStart: last.slotStart,
          new: stored.new,
          unchanged: stored.unchanged,
          replaced: stored.replaced,
        },
      },
    );
    return { meter, readings, stored };
  });

  if (!outcome) {
    const serial = target.serial;
    if (serial) {
      const foreign = await asSystem(caller.database, 'ingestReadings: is the serial another client’s meter', (tx) =>
        findSerialsOfOtherClients(tx, clientId, [serial]),
      );
      if (foreign.size > 0) throw new ForbiddenError(`Meter ${serial} belongs to another client`);
      throw new BadUserInputError('meterSerial', `No meter with serial ${serial} in this client`);
    }
    throw new BadUserInputError('meterId', `No meter ${input.meterId ?? ''} in this client`);
  }

  const { meter, readings, stored } = outcome;
  if (stored.new + stored.replaced > 0) {
    await publishReadingsStored(
      deps,
      { ...tenant, clientId },
      [{ meterId: meter.id, serial: meter.serial, multiplier: meter.multiplier, readings }],
      { source: 'INGEST', uploadId: null },
    );
  }
  return {
    meter: { id: toGlobalId('Meter', clientId, meter.id), rawClientId: clientId, rawMeterId: meter.id },
    summary: {
      received: readings.length,
      new: stored.new,
      unchanged: stored.unchanged,
      replaced: stored.replaced,
      customers: stored.customers,
      firstSlotStart: readings[0].slotStart,
      lastSlotStart: readings.at(-1)!.slotStart,
    },
  };
}
