import type { Tx } from '@ciro/db';
import { sql } from 'drizzle-orm';
import type { UpsertSummary } from '../readings/reading-store.repository';
import { copyInto } from '../readings/raw-sql';

export interface StagedForecast {
  customerId: string;
  hourStart: Date;
  kwh: string;
}

/**
 * Upserts hourly forecasts through a staging table (COPY cannot write to the RLS table):
 * new hours inserted, changed ones replaced with this upload as provenance.
 */
export async function storeForecasts(
  tx: Tx,
  clientId: string,
  uploadId: string,
  forecasts: readonly StagedForecast[],
): Promise<UpsertSummary> {
  await tx.execute(
    sql.raw(`create temporary table staged_forecasts (
      customer_id uuid not null, hour_start timestamptz not null, kwh numeric(18, 6) not null,
      primary key (customer_id, hour_start)
    ) on commit drop`),
  );
  await copyInto(
    tx,
    'copy staged_forecasts (customer_id, hour_start, kwh) from stdin',
    forecasts.map((f) => [f.customerId, f.hourStart.toISOString(), f.kwh]),
  );
  const [counts] = await tx.execute<{ new: string; unchanged: string; replaced: string }>(sql`
    select
      count(*) filter (where f.hour_start is null) as new,
      count(*) filter (where f.hour_start is not null and f.kwh = s.kwh) as unchanged,
      count(*) filter (where f.hour_start is not null and f.kwh <> s.kwh) as replaced
    from staged_forecasts s
    left join forecasts f on f.client_id = ${clientId} and f.customer_id = s.customer_id and f.hour_start = s.hour_start`);
  await tx.execute(sql`
    insert into forecasts (client_id, customer_id, hour_start, kwh, upload_id)
    select ${clientId}, s.customer_id, s.hour_start, s.kwh, ${uploadId} from staged_forecasts s
    on conflict (client_id, customer_id, hour_start) do update
      set kwh = excluded.kwh, upload_id = excluded.upload_id
      where forecasts.kwh is distinct from excluded.kwh`);
  return {
    new: Number(counts?.new ?? 0),
    unchanged: Number(counts?.unchanged ?? 0),
    replaced: Number(counts?.replaced ?? 0),
  };
}
