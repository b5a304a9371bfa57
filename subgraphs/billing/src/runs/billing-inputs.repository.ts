import { schema, type Tx } from '@ciro/db';
import { periodBounds } from '@ciro/subgraph-common';
import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { AdjustmentInput, RateSetInput, TariffInput } from '../engine';
import type { RawCustomerInput } from './customer-pricing';
import { loadTariffAggregates, type TariffAggregate } from '../tariffs/tariff.repository';

/** What every customer of a (client, period) billing run shares. */
export interface BillingScope {
  clientId: string;
  clientCode: string;
  period: string;
  zone: string;
  vatRate: string;
  currency: string;
  /** Local month as instants, `[start, end)`. */
  start: Date;
  end: Date;
  /** Engine tariffs by tariff id. */
  tariffs: ReadonlyMap<string, TariffInput>;
  holidays: ReadonlySet<string>;
  customers: CustomerToBill[];
}

export interface CustomerToBill {
  id: string;
  code: string;
  tariffId: string | null;
  lossFactor: string;
  discount: string;
  deviationTolerance: string | null;
  paymentTermsDays: number;
}

export interface CustomerBillingInput {
  /** The engine input, readings still as aggregated text (see `billingInputOf`). */
  raw: RawCustomerInput;
  /** Adjustments the input carries, in line order: they get linked to the draft. */
  adjustmentIds: string[];
}

/** Where a block starts in the tariff day: a block that wraps midnight (VALLE 23:00–05:00) opens it. */
const dayStart = (b: { startMinute: number; endMinute: number }) =>
  b.endMinute <= b.startMinute ? b.startMinute - 1440 : b.startMinute;

/**
 * A tariff's blocks and rate sets as the engine reads them. The engine prints the ENERGY lines in the order blocks
 * come, and tariff_blocks keeps no position: blocks go in tariff-day order (a midnight-wrapping block first), which
 * gives MT-H's VALLE, RESTO, PUNTA as the tariff file and the expected invoices list them.
 */
export function toEngineTariff(aggregate: TariffAggregate): TariffInput {
  const blocks = [...aggregate.blocks].sort((a, b) => dayStart(a) - dayStart(b) || a.block.localeCompare(b.block));
  return {
    code: aggregate.tariff.code,
    blocks: blocks.map((b) => ({
      code: b.block,
      dayType: b.dayType,
      startMinute: b.startMinute,
      endMinute: b.endMinute,
    })),
    rateSets: aggregate.rateSets.map(({ rateSet, energyRates }): RateSetInput => ({
      validFrom: rateSet.validFrom,
      energy: Object.fromEntries(energyRates.map((r) => [r.block, r.energyRate])),
      demand: rateSet.demandRate ?? '0',
      ftpms: rateSet.ftpmsRate ?? '0',
      deviation: rateSet.deviationRate ?? '0',
    })),
  };
}

function lastDayOf(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(day).padStart(2, '0')}`;
}

/**
 * Loads what a billing run of (client, period) shares: the client's zone, VAT rate and currency, every ACTIVE
 * customer (by code) with its billing terms, their tariffs and the period's holidays. Null when the client is not
 * visible.
 */
export async function loadBillingScope(tx: Tx, clientId: string, period: string): Promise<BillingScope | null> {
  const [client] = await tx
    .select({
      code: schema.clients.code,
      zone: schema.clients.timeZone,
      vatRate: schema.clients.vatRate,
      currency: schema.clients.currency,
    })
    .from(schema.clients)
    .where(eq(schema.clients.id, clientId));
  if (!client) return null;
  const { start, end } = periodBounds(period, client.zone);
  const customers = await tx
    .select({
      id: schema.customers.id,
      code: schema.customers.code,
      tariffId: schema.customers.tariffId,
      lossFactor: schema.customers.lossFactor,
      discount: schema.customers.discount,
      deviationTolerance: schema.customers.deviationTolerance,
      paymentTermsDays: schema.customers.paymentTermsDays,
    })
    .from(schema.customers)
    .where(and(eq(schema.customers.clientId, clientId), eq(schema.customers.status, 'ACTIVE')))
    .orderBy(asc(schema.customers.code));
  const tariffIds = [...new Set(customers.map((c) => c.tariffId).filter((id): id is string => id !== null))];
  const tariffRows =
    tariffIds.length === 0
      ? []
      : await tx
          .select()
          .from(schema.tariffs)
          .where(and(eq(schema.tariffs.clientId, clientId), inArray(schema.tariffs.id, tariffIds)));
  const aggregates = await loadTariffAggregates(tx, clientId, tariffRows);
  const holidays = await tx
    .select({ day: schema.holidays.day })
    .from(schema.holidays)
    .where(
      and(
        eq(schema.holidays.clientId, clientId),
        gte(schema.holidays.day, `${period}-01`),
        lte(schema.holidays.day, lastDayOf(period)),
      ),
    );
  return {
    clientId,
    clientCode: client.code,
    period,
    zone: client.zone,
    vatRate: client.vatRate,
    currency: client.currency,
    start,
    end,
    tariffs: new Map(aggregates.map((a) => [a.tariff.id, toEngineTariff(a)])),
    holidays: new Set(holidays.map((h) => h.day)),
    customers,
  };
}

/**
 * One customer's engine input for the scope's period: its meters (multiplier, consumption channel, assignment ranges
 * overlapping the period) with their readings in `[start, end)`, the forecasts of the period's hours (keyed by ISO
 * instant) and its adjustments for the period that are not on an issued invoice yet (free, on a draft, or on a
 * voided invoice). Null when the customer has no tariff.
 */
export async function loadCustomerBillingInput(
  tx: Tx,
  scope: BillingScope,
  customer: CustomerToBill,
): Promise<CustomerBillingInput | null> {
  const tariff = customer.tariffId ? scope.tariffs.get(customer.tariffId) : undefined;
  if (!tariff) return null;
  const { clientId, start, end } = scope;

  const assignments = await tx
    .select({
      meterId: schema.meterAssignments.meterId,
      validFrom: schema.meterAssignments.validFrom,
      validTo: schema.meterAssignments.validTo,
      multiplier: schema.meters.multiplier,
      channel: schema.meters.consumptionChannel,
    })
    .from(schema.meterAssignments)
    .innerJoin(
      schema.meters,
      and(
        eq(schema.meters.clientId, schema.meterAssignments.clientId),
        eq(schema.meters.id, schema.meterAssignments.meterId),
      ),
    )
    .where(
      and(
        eq(schema.meterAssignments.clientId, clientId),
        eq(schema.meterAssignments.customerId, customer.id),
        lt(schema.meterAssignments.validFrom, end),
        or(isNull(schema.meterAssignments.validTo), gt(schema.meterAssignments.validTo, start)),
      ),
    )
    .orderBy(asc(schema.meterAssignments.meterId), asc(schema.meterAssignments.validFrom));

  const meters = new Map<
    string,
    { id: string; multiplier: string; channel: string; assignments: { from: Date; to: Date | null }[] }
  >();
  for (const a of assignments) {
    let meter = meters.get(a.meterId);
    if (!meter) {
      meter = { id: a.meterId, multiplier: a.multiplier, channel: a.channel, assignments: [] };
      meters.set(a.meterId, meter);
    }
    meter.assignments.push({ from: a.validFrom, to: a.validTo });
  }

  const readings = new Map<string, string>();
  if (meters.size > 0) {
    // One row per meter with its slots as text (epoch ms, delivered kWh, received kWh or "-"): thousands of readings
    // cross the wire without a row object per slot, and reach an engine thread as one string.
    const rows = await tx.execute<{ meter_id: string; slots: string }>(sql`
      select meter_id, string_agg(
        ((extract(epoch from slot_start) * 1000)::bigint)::text || ' ' || kwh::text || ' ' || coalesce(kwh_received::text, '-'),
        ',') as slots
      from meter_readings
      where client_id = ${clientId}
        and meter_id in (${sql.join(
          [...meters.keys()].map((id) => sql`${id}`),
          sql`, `,
        )})
        and slot_start >= ${start.toISOString()}::timestamptz and slot_start < ${end.toISOString()}::timestamptz
      group by meter_id`);
    for (const row of rows) readings.set(row.meter_id, row.slots);
  }

  const forecastRows = await tx
    .select({ hourStart: schema.forecasts.hourStart, kwh: schema.forecasts.kwh })
    .from(schema.forecasts)
    .where(
      and(
        eq(schema.forecasts.clientId, clientId),
        eq(schema.forecasts.customerId, customer.id),
        gte(schema.forecasts.hourStart, start),
        lt(schema.forecasts.hourStart, end),
      ),
    );

  const adjustmentRows = await tx
    .select({
      id: schema.adjustments.id,
      description: schema.adjustments.description,
      amount: schema.adjustments.amount,
    })
    .from(schema.adjustments)
    .leftJoin(
      schema.invoices,
      and(
        eq(schema.invoices.clientId, schema.adjustments.clientId),
        eq(schema.invoices.id, schema.adjustments.invoiceId),
      ),
    )
    .where(
      and(
        eq(schema.adjustments.clientId, clientId),
        eq(schema.adjustments.customerId, customer.id),
        eq(schema.adjustments.period, scope.period),
        or(isNull(schema.adjustments.invoiceId), inArray(schema.invoices.status, ['DRAFT', 'VOID'])),
      ),
    )
    .orderBy(asc(schema.adjustments.createdAt), asc(schema.adjustments.id));
  const adjustments: AdjustmentInput[] = adjustmentRows.map((a) => ({ description: a.description, amount: a.amount }));

  return {
    raw: {
      input: {
        customer: {
          code: customer.code,
          lossFactor: customer.lossFactor,
          discount: customer.discount,
          deviationTolerance: customer.deviationTolerance,
        },
        tariff,
        forecasts: new Map(forecastRows.map((f) => [f.hourStart.toISOString(), f.kwh])),
        adjustments,
        period: scope.period,
        zone: scope.zone,
        vatRate: scope.vatRate,
        holidays: scope.holidays,
      },
      meters: [...meters.values()].map((m) => ({
        id: m.id,
        multiplier: m.multiplier,
        // BILLING.md §2: consumption is the delivered channel unless the meter is configured otherwise.
        received: m.channel === 'RECEIVED',
        assignments: m.assignments,
        readings: readings.get(m.id) ?? null,
      })),
    },
    adjustmentIds: adjustmentRows.map((a) => a.id),
  };
}
