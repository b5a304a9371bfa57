import { withTenant, type Database, type TenantContext } from '@ciro/db';
import { sql } from 'drizzle-orm';

export interface DayBlockConsumption {
  day: string;
  block: string;
  kwh: string;
  maxKw: string | null;
}

/**
 * Consumption of one customer by DAY and tariff block over [from, to) (local dates), read from
 * the daily rollups the store path maintains, under the caller's tenant context.
 *
 * TODO(bench): switch to `customerConsumption` from src/consumption/consumption.service.ts
 * (the service behind Customer.consumption) once it lands, so the figure is the product's query.
 */
export async function dailyConsumption(
  database: Database,
  ctx: TenantContext,
  clientId: string,
  customerId: string,
  range: { from: string; to: string },
): Promise<DayBlockConsumption[]> {
  return withTenant(database, ctx, async (tx) => {
    const rows = await tx.execute<{ day: string; block: string; kwh: string; max_kw: string | null }>(sql`
      select day::text as day, block, sum(kwh)::text as kwh, max(max_kw)::text as max_kw
      from readings_daily
      where client_id = ${clientId} and customer_id = ${customerId}
        and day >= ${range.from}::date and day < ${range.to}::date
      group by day, block
      order by day, block`);
    return rows.map((r) => ({ day: r.day, block: r.block, kwh: r.kwh, maxKw: r.max_kw }));
  });
}
