import { DAY_TYPES, schema, type Tx } from '@ciro/db';
import Decimal from 'decimal.js';
import { z } from 'zod';

const RATE = z.string().regex(/^\d+(\.\d+)?$/, 'rates are decimal strings such as "0.158412"');
const CLOCK = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'times are HH:MM');

/** The tariff JSON format of `samples/tariffs/*.json`. */
export const tariffFileSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  blocks: z
    .array(z.object({ code: z.string().min(1), start: CLOCK, end: CLOCK, dayType: z.enum(DAY_TYPES).optional() }))
    .min(1),
  rates: z
    .array(
      z.object({
        validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        energy: z.record(z.string(), RATE),
        demand: RATE,
        ftpms: RATE,
        deviation: RATE,
      }),
    )
    .min(1),
});
export type TariffFile = z.infer<typeof tariffFileSchema>;

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * Stores a tariff file as tariff, blocks and rate sets. The billing subgraph
 * will own tariff management; the demo seed needs the sample tariff now.
 */
export async function insertTariffFile(tx: Tx, clientId: string, file: TariffFile): Promise<string> {
  const [tariff] = await tx
    .insert(schema.tariffs)
    .values({ clientId, code: file.code, name: file.name })
    .returning({ id: schema.tariffs.id });
  if (!tariff) throw new Error('insert into tariffs returned no row');
  await tx.insert(schema.tariffBlocks).values(
    file.blocks.map((block) => ({
      clientId,
      tariffId: tariff.id,
      block: block.code,
      dayType: block.dayType ?? 'ALL',
      startMinute: minutesOf(block.start),
      endMinute: minutesOf(block.end),
    })),
  );
  for (const rates of file.rates) {
    const [rateSet] = await tx
      .insert(schema.rateSets)
      .values({
        clientId,
        tariffId: tariff.id,
        validFrom: rates.validFrom,
        demandRate: new Decimal(rates.demand).toFixed(6),
        ftpmsRate: new Decimal(rates.ftpms).toFixed(6),
        deviationRate: new Decimal(rates.deviation).toFixed(6),
      })
      .returning({ id: schema.rateSets.id });
    if (!rateSet) throw new Error('insert into rate_sets returned no row');
    await tx.insert(schema.rateSetBlockRates).values(
      Object.entries(rates.energy).map(([block, rate]) => ({
        clientId,
        rateSetId: rateSet.id,
        block,
        energyRate: new Decimal(rate).toFixed(6),
      })),
    );
  }
  return tariff.id;
}
