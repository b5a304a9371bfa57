import { schema, type Tx } from '@ciro/db';
import { and, asc, eq, gte, inArray, lte, ne, sql } from 'drizzle-orm';

export type TariffRow = typeof schema.tariffs.$inferSelect;
export type TariffBlockRow = typeof schema.tariffBlocks.$inferSelect;
export type RateSetRow = typeof schema.rateSets.$inferSelect;
export type BlockRateRow = typeof schema.rateSetBlockRates.$inferSelect;

export interface TariffAggregate {
  tariff: TariffRow;
  blocks: TariffBlockRow[];
  rateSets: { rateSet: RateSetRow; energyRates: BlockRateRow[] }[];
}

export async function findTariffRow(tx: Tx, clientId: string, id: string): Promise<TariffRow | null> {
  const [row] = await tx
    .select()
    .from(schema.tariffs)
    .where(and(eq(schema.tariffs.clientId, clientId), eq(schema.tariffs.id, id)));
  return row ?? null;
}

export async function findTariffByCode(tx: Tx, clientId: string, code: string): Promise<TariffRow | null> {
  const [row] = await tx
    .select()
    .from(schema.tariffs)
    .where(and(eq(schema.tariffs.clientId, clientId), eq(schema.tariffs.code, code)));
  return row ?? null;
}

export async function listTariffRows(tx: Tx, clientId: string): Promise<TariffRow[]> {
  return tx
    .select()
    .from(schema.tariffs)
    .where(eq(schema.tariffs.clientId, clientId))
    .orderBy(asc(schema.tariffs.code));
}

/** Tariffs with their blocks and rate sets, loaded in three queries whatever their number. */
export async function loadTariffAggregates(tx: Tx, clientId: string, tariffs: TariffRow[]): Promise<TariffAggregate[]> {
  if (tariffs.length === 0) return [];
  const ids = tariffs.map((t) => t.id);
  const blocks = await tx
    .select()
    .from(schema.tariffBlocks)
    .where(and(eq(schema.tariffBlocks.clientId, clientId), inArray(schema.tariffBlocks.tariffId, ids)))
    .orderBy(asc(schema.tariffBlocks.dayType), asc(schema.tariffBlocks.startMinute));
  const rateSets = await tx
    .select()
    .from(schema.rateSets)
    .where(and(eq(schema.rateSets.clientId, clientId), inArray(schema.rateSets.tariffId, ids)))
    .orderBy(asc(schema.rateSets.validFrom));
  const rates =
    rateSets.length === 0
      ? []
      : await tx
          .select()
          .from(schema.rateSetBlockRates)
          .where(
            and(
              eq(schema.rateSetBlockRates.clientId, clientId),
              inArray(
                schema.rateSetBlockRates.rateSetId,
                rateSets.map((r) => r.id),
              ),
            ),
          );
  return tariffs.map((tariff) => ({
    tariff,
    blocks: blocks.filter((b) => b.tariffId === tariff.id),
    rateSets: rateSets
      .filter((r) => r.tariffId === tariff.id)
      .map((rateSet) => ({ rateSet, energyRates: rates.filter((r) => r.rateSetId === rateSet.id) })),
  }));
}

export async function insertTariff(
  tx: Tx,
  values: typeof schema.tariffs.$inferInsert,
  blocks: Omit<typeof schema.tariffBlocks.$inferInsert, 'clientId' | 'tariffId'>[],
): Promise<TariffRow> {
  const [tariff] = await tx.insert(schema.tariffs).values(values).returning();
  if (!tariff) throw new Error('insert into tariffs returned no row');
  await tx
    .insert(schema.tariffBlocks)
    .values(blocks.map((b) => ({ ...b, clientId: tariff.clientId, tariffId: tariff.id })));
  return tariff;
}

export interface NewRateSet {
  validFrom: string;
  demandRate: string;
  ftpmsRate: string;
  deviationRate: string;
  energyRates: { block: string; energyRate: string }[];
}

/** Inserts a rate set, replacing one with the same validFrom (the caller checked it is not locked). */
export async function putRateSet(tx: Tx, clientId: string, tariffId: string, set: NewRateSet): Promise<RateSetRow> {
  await tx
    .delete(schema.rateSets)
    .where(
      and(
        eq(schema.rateSets.clientId, clientId),
        eq(schema.rateSets.tariffId, tariffId),
        eq(schema.rateSets.validFrom, set.validFrom),
      ),
    );
  const [row] = await tx
    .insert(schema.rateSets)
    .values({
      clientId,
      tariffId,
      validFrom: set.validFrom,
      demandRate: set.demandRate,
      ftpmsRate: set.ftpmsRate,
      deviationRate: set.deviationRate,
    })
    .returning();
  if (!row) throw new Error('insert into rate_sets returned no row');
  await tx
    .insert(schema.rateSetBlockRates)
    .values(set.energyRates.map((r) => ({ clientId, rateSetId: row.id, block: r.block, energyRate: r.energyRate })));
  return row;
}

/**
 * True when an issued (non-draft) invoice of a customer on this tariff covers
 * a period in [fromPeriod, toPeriod]: those rates are history and stay as billed.
 */
export async function ratesUsedByIssuedInvoice(
  tx: Tx,
  clientId: string,
  tariffId: string,
  fromPeriod: string,
  toPeriod: string | null,
): Promise<boolean> {
  const [row] = await tx
    .select({ used: sql<number>`1` })
    .from(schema.invoices)
    .innerJoin(
      schema.customers,
      and(eq(schema.customers.clientId, schema.invoices.clientId), eq(schema.customers.id, schema.invoices.customerId)),
    )
    .where(
      and(
        eq(schema.invoices.clientId, clientId),
        eq(schema.customers.tariffId, tariffId),
        ne(schema.invoices.status, 'DRAFT'),
        gte(schema.invoices.period, fromPeriod),
        ...(toPeriod ? [lte(schema.invoices.period, toPeriod)] : []),
      ),
    )
    .limit(1);
  return row !== undefined;
}
