import { randomUUID } from 'node:crypto';
import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeRollups } from '../src/readings/rollups.repository';
import {
  METER_CSV,
  METER_WORKBOOK,
  commitUploadOp,
  customerToken,
  expectData,
  expectErrorCode,
  gql,
  readSample,
  seedClient,
  startMetering,
  uploadAndPreview,
  type MeteringStack,
  type SeededClient,
} from './kit';

interface ExpectedInvoice {
  customer: string;
  lines: { kind: string; quantity: string }[];
}
const expected = JSON.parse(readSample('expected/invoices-2025-09.json').toString('utf8')) as ExpectedInvoice[];
const quantity = (invoice: ExpectedInvoice, kind: string): string => {
  const line = invoice.lines.find((l) => l.kind === kind);
  if (!line) throw new Error(`${invoice.customer} has no ${kind} line`);
  return line.quantity;
};

const ZONE = 'America/El_Salvador';
/** September 2025 in El Salvador (UTC−6). */
const SEPTEMBER = { from: '2025-09-01T06:00:00Z', to: '2025-10-01T06:00:00Z' };

let stack: MeteringStack;
let eis: SeededClient;
let token: string;

async function commitSample(fileName: string, bytes: Buffer): Promise<void> {
  const upload = await uploadAndPreview(stack, token, { clientId: eis.globalId, fileName, bytes });
  if (upload.status !== 'PREVIEW_READY') throw new Error(`${fileName}: ${upload.status}`);
  const committed = expectData(await commitUploadOp(stack, token, upload.id)).commitUpload;
  if (committed.userErrors.length > 0) throw new Error(JSON.stringify(committed.userErrors));
}

beforeAll(async () => {
  stack = await startMetering();
  eis = await seedClient(stack);
  token = await eis.adminToken();
  await commitSample(METER_WORKBOOK, readSample(`meters/${METER_WORKBOOK}`));
  await commitSample(METER_CSV, readSample(`meters/${METER_CSV}`));
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const customerGid = (code: string): string => toGlobalId('Customer', eis.id, eis.customers.get(code)!.id);
const meterGid = (code: string, index = 0): string =>
  toGlobalId('Meter', eis.id, eis.customers.get(code)!.meters[index].id);

interface Point {
  start: string;
  end: string;
  localStart: string;
  kwh: string;
  maxKw: string | null;
  readings: number;
  blocks: { block: string; kwh: string }[] | null;
}
interface Consumption {
  granularity: string;
  from: string;
  to: string;
  timeZone: string;
  unit: string;
  total: string;
  totalByBlock: { block: string; kwh: string }[];
  readings: number;
  points: Point[];
}

const CONSUMPTION = /* GraphQL */ `
  query ($reps: [_Any!]!, $range: TimeRangeInput!, $granularity: ConsumptionGranularity!, $byBlock: Boolean) {
    _entities(representations: $reps) {
      ... on Customer {
        consumption(range: $range, granularity: $granularity, byBlock: $byBlock) {
          granularity
          from
          to
          timeZone
          unit
          total
          totalByBlock {
            block
            kwh
          }
          readings
          points {
            start
            end
            localStart
            kwh
            maxKw
            readings
            blocks {
              block
              kwh
            }
          }
        }
      }
    }
  }
`;

function consumptionOp(
  bearer: string,
  customerId: string,
  variables: { range: { from: string; to: string }; granularity: string; byBlock?: boolean },
) {
  return gql<{ _entities: { consumption: Consumption }[] }>(stack, bearer, CONSUMPTION, {
    reps: [{ __typename: 'Customer', id: customerId }],
    ...variables,
  });
}

async function consumption(
  customerId: string,
  variables: { range: { from: string; to: string }; granularity: string; byBlock?: boolean },
  bearer = token,
): Promise<Consumption> {
  return expectData(await consumptionOp(bearer, customerId, variables))._entities[0].consumption;
}

const sum = (values: readonly string[]): Decimal => values.reduce((s, v) => s.plus(v), new Decimal(0));
const blockMap = (blocks: readonly { block: string; kwh: string }[]) =>
  Object.fromEntries(blocks.map((b) => [b.block, new Decimal(b.kwh).toFixed(4)]));

describe('Customer.consumption', () => {
  it('DAY over September: 30 local days, per-block totals equal the invoices’ ENERGY quantities for every customer', async () => {
    for (const invoice of expected) {
      const result = await consumption(customerGid(invoice.customer), {
        range: SEPTEMBER,
        granularity: 'DAY',
        byBlock: true,
      });
      expect(result.points, invoice.customer).toHaveLength(30);
      expect(blockMap(result.totalByBlock), invoice.customer).toEqual({
        PUNTA: new Decimal(quantity(invoice, 'ENERGY_PUNTA')).toFixed(4),
        RESTO: new Decimal(quantity(invoice, 'ENERGY_RESTO')).toFixed(4),
        VALLE: new Decimal(quantity(invoice, 'ENERGY_VALLE')).toFixed(4),
      });
      expect(sum(result.points.map((p) => p.kwh)).toFixed(), invoice.customer).toBe(
        new Decimal(result.total).toFixed(),
      );
      expect(sum(result.totalByBlock.map((b) => b.kwh)).toFixed()).toBe(new Decimal(result.total).toFixed());
      for (const point of result.points) {
        expect(sum(point.blocks!.map((b) => b.kwh)).toFixed(), point.localStart).toBe(new Decimal(point.kwh).toFixed());
      }
    }
    const c1 = await consumption(customerGid('C-0001'), { range: SEPTEMBER, granularity: 'DAY' });
    expect(c1).toMatchObject({ granularity: 'DAY', timeZone: ZONE, unit: 'kWh', readings: 2880 });
    expect(c1.from).toBe('2025-09-01T06:00:00.000Z');
    expect(c1.to).toBe('2025-10-01T06:00:00.000Z');
    expect(c1.points[0]).toMatchObject({
      start: '2025-09-01T06:00:00.000Z',
      end: '2025-09-02T06:00:00.000Z',
      localStart: '2025-09-01T00:00:00',
      readings: 96,
      blocks: null,
    });
    expect(c1.points[29]?.localStart).toBe('2025-09-30T00:00:00');
    // C-0005 sums two meters: 2 × 96 readings a day; C-0002 reads through a multiplier of 40.
    const c5 = await consumption(customerGid('C-0005'), { range: SEPTEMBER, granularity: 'DAY' });
    expect(c5.points.every((p) => p.readings === 192)).toBe(true);
  });

  it('widens a range to whole local days and MONTH buckets start on the 1st at local midnight', async () => {
    const widened = await consumption(customerGid('C-0001'), {
      range: { from: '2025-09-03T12:00:00Z', to: '2025-09-05T01:00:00Z' },
      granularity: 'DAY',
    });
    expect(widened.points.map((p) => p.localStart)).toEqual(['2025-09-03T00:00:00', '2025-09-04T00:00:00']);
    expect(widened.from).toBe('2025-09-03T06:00:00.000Z');

    const c1 = expected.find((i) => i.customer === 'C-0001')!;
    const months = await consumption(customerGid('C-0001'), {
      range: { from: '2025-08-01T06:00:00Z', to: '2025-11-01T06:00:00Z' },
      granularity: 'MONTH',
      byBlock: true,
    });
    expect(months.points.map((p) => [p.localStart, p.readings])).toEqual([
      ['2025-08-01T00:00:00', 0],
      ['2025-09-01T00:00:00', 2880],
      ['2025-10-01T00:00:00', 0],
    ]);
    expect(months.points[0]).toMatchObject({ kwh: '0', maxKw: null, blocks: [] });
    expect(blockMap(months.points[1].blocks!)).toEqual({
      PUNTA: new Decimal(quantity(c1, 'ENERGY_PUNTA')).toFixed(4),
      RESTO: new Decimal(quantity(c1, 'ENERGY_RESTO')).toFixed(4),
      VALLE: new Decimal(quantity(c1, 'ENERGY_VALLE')).toFixed(4),
    });
    // The month's maximum demand is the invoice's DEMAND quantity.
    expect(new Decimal(months.points[1].maxKw!).toFixed(4)).toBe(new Decimal(quantity(c1, 'DEMAND')).toFixed(4));
  });

  it('HOUR and SLOT of one day add up to its DAY bucket; slots carry the block of their local start', async () => {
    const day = { from: '2025-09-08T06:00:00Z', to: '2025-09-09T06:00:00Z' };
    const [daily, hourly, slots] = await Promise.all([
      consumption(customerGid('C-0002'), { range: day, granularity: 'DAY' }),
      consumption(customerGid('C-0002'), { range: day, granularity: 'HOUR', byBlock: true }),
      consumption(customerGid('C-0002'), { range: day, granularity: 'SLOT', byBlock: true }),
    ]);
    expect(daily.points).toHaveLength(1);
    expect(hourly.points).toHaveLength(24);
    expect(slots.points).toHaveLength(96);
    expect(new Decimal(hourly.total).toFixed()).toBe(new Decimal(daily.total).toFixed());
    expect(new Decimal(slots.total).toFixed()).toBe(new Decimal(daily.total).toFixed());
    expect(blockMap(slots.totalByBlock)).toEqual(blockMap(daily.totalByBlock));
    expect(hourly.points[0]).toMatchObject({ localStart: '2025-09-08T00:00:00', readings: 4 });
    expect(hourly.points[0].blocks!.map((b) => b.block)).toEqual(['VALLE']);
    const blockAt = (local: string) => slots.points.find((p) => p.localStart === local)?.blocks?.map((b) => b.block);
    expect(blockAt('2025-09-08T04:45:00')).toEqual(['VALLE']);
    expect(blockAt('2025-09-08T05:00:00')).toEqual(['RESTO']);
    expect(blockAt('2025-09-08T17:45:00')).toEqual(['RESTO']);
    expect(blockAt('2025-09-08T18:00:00')).toEqual(['PUNTA']);
    expect(blockAt('2025-09-08T23:00:00')).toEqual(['VALLE']);
    // A slot's kWh is the raw reading × the meter multiplier (40 for C-0002), and kW = kWh × 4.
    const meter = eis.customers.get('C-0002')!.meters[0];
    const [raw] = await asSystem(stack.database, 'test: raw reading', (tx) =>
      tx
        .select({ kwh: schema.meterReadings.kwh })
        .from(schema.meterReadings)
        .where(
          and(
            eq(schema.meterReadings.clientId, eis.id),
            eq(schema.meterReadings.meterId, meter.id),
            eq(schema.meterReadings.slotStart, new Date('2025-09-09T00:00:00Z')),
          ),
        ),
    );
    const slot = slots.points.find((p) => p.localStart === '2025-09-08T18:00:00')!;
    expect(slot.start).toBe('2025-09-09T00:00:00.000Z');
    expect(new Decimal(slot.kwh).toFixed()).toBe(new Decimal(raw.kwh).times(40).toFixed());
    expect(new Decimal(slot.maxKw!).toFixed()).toBe(new Decimal(raw.kwh).times(160).toFixed());
  });

  it('refuses ranges that are empty, reversed or too long for the granularity (BAD_USER_INPUT)', async () => {
    const c1 = customerGid('C-0001');
    for (const [range, granularity] of [
      [{ from: SEPTEMBER.to, to: SEPTEMBER.from }, 'DAY'],
      [{ from: SEPTEMBER.from, to: SEPTEMBER.from }, 'HOUR'],
      [{ from: '2025-09-01T06:00:00Z', to: '2025-10-02T06:00:01Z' }, 'SLOT'],
      [{ from: '2025-01-01T06:00:00Z', to: '2026-01-03T06:00:00Z' }, 'HOUR'],
      [{ from: '2020-01-01T06:00:00Z', to: '2025-01-03T06:00:00Z' }, 'DAY'],
    ] as const) {
      const result = await consumptionOp(token, c1, { range, granularity });
      expectErrorCode(result, 'BAD_USER_INPUT');
    }
    // A 31-day SLOT range is accepted.
    const october = await consumption(c1, {
      range: { from: '2025-10-01T06:00:00Z', to: '2025-11-01T06:00:00Z' },
      granularity: 'SLOT',
    });
    expect(october.points).toHaveLength(2976);
    expect(october.readings).toBe(0);
  });

  it('is tenant-checked: own customer user yes, another customer FORBIDDEN, another client FORBIDDEN, made-up NOT_FOUND', async () => {
    const variables = { range: SEPTEMBER, granularity: 'MONTH' };
    const own = await customerToken(stack, eis, eis.customers.get('C-0003')!.id);
    const mine = await consumption(customerGid('C-0003'), variables, own);
    expect(mine.readings).toBe(2880);
    expectErrorCode(await consumptionOp(own, customerGid('C-0001'), variables), 'FORBIDDEN');
    const stranger = await seedClient(stack, { withSampleCustomers: false });
    expectErrorCode(await consumptionOp(await stranger.adminToken(), customerGid('C-0001'), variables), 'FORBIDDEN');
    expectErrorCode(await consumptionOp(token, toGlobalId('Customer', eis.id, randomUUID()), variables), 'NOT_FOUND');
    expectErrorCode(await consumptionOp(token, 'not-an-id', variables), 'NOT_FOUND');
  });
});

interface Peak {
  kw: string;
  kwh: string;
  slotStart: string;
  localSlotStart: string;
  block: string;
  meter: { id: string };
  meters: { id: string }[];
}
const PEAK = /* GraphQL */ `
  query ($reps: [_Any!]!, $range: TimeRangeInput!) {
    _entities(representations: $reps) {
      ... on Customer {
        peakDemand(range: $range) {
          kw
          kwh
          slotStart
          localSlotStart
          block
          meter {
            id
          }
          meters {
            id
          }
        }
      }
    }
  }
`;
async function peak(customerId: string, range: { from: string; to: string }, bearer = token): Promise<Peak | null> {
  return expectData(
    await gql<{ _entities: { peakDemand: Peak | null }[] }>(stack, bearer, PEAK, {
      reps: [{ __typename: 'Customer', id: customerId }],
      range,
    }),
  )._entities[0].peakDemand;
}

/** The highest customer slot kWh in [from, to), straight from meter_readings. */
async function bruteForcePeak(code: string, from: string, to: string): Promise<{ slot: Date; kwh: Decimal }> {
  const meters = eis.customers.get(code)!.meters;
  const rows = await asSystem(stack.database, 'test: brute-force peak', (tx) =>
    tx
      .select({
        slot: schema.meterReadings.slotStart,
        kwh: sql<string>`sum(${schema.meterReadings.kwh} * m.multiplier)::text`,
      })
      .from(schema.meterReadings)
      .innerJoin(
        sql`meters m`,
        sql`m.client_id = ${schema.meterReadings.clientId} and m.id = ${schema.meterReadings.meterId}`,
      )
      .where(
        and(
          eq(schema.meterReadings.clientId, eis.id),
          inArray(
            schema.meterReadings.meterId,
            meters.map((m) => m.id),
          ),
          gte(schema.meterReadings.slotStart, new Date(from)),
          lt(schema.meterReadings.slotStart, new Date(to)),
        ),
      )
      .groupBy(schema.meterReadings.slotStart)
      .orderBy(sql`2 desc`, schema.meterReadings.slotStart)
      .limit(1),
  );
  return { slot: rows[0].slot, kwh: new Decimal(rows[0].kwh) };
}

describe('Customer.peakDemand', () => {
  it('finds the invoice’s DEMAND slot for September (1,404.6864 kW for C-0001) with its block and meter', async () => {
    const result = await peak(customerGid('C-0001'), SEPTEMBER);
    const c1 = expected.find((i) => i.customer === 'C-0001')!;
    expect(new Decimal(result!.kw).toFixed(4)).toBe(new Decimal(quantity(c1, 'DEMAND')).toFixed(4));
    expect(new Decimal(result!.kw).toFixed(4)).toBe('1404.6864');
    const brute = await bruteForcePeak('C-0001', SEPTEMBER.from, SEPTEMBER.to);
    expect(result!.slotStart).toBe(brute.slot.toISOString());
    expect(new Decimal(result!.kwh).toFixed()).toBe(brute.kwh.toFixed());
    expect(result!.localSlotStart.startsWith('2025-09-08T')).toBe(true);
    expect(result!.meter.id).toBe(meterGid('C-0001'));
    expect(result!.meters).toEqual([{ id: meterGid('C-0001') }]);
    const hour = Number(result!.localSlotStart.slice(11, 13));
    expect(result!.block).toBe(hour >= 18 && hour < 23 ? 'PUNTA' : hour >= 5 && hour < 18 ? 'RESTO' : 'VALLE');
  });

  it('matches a brute force for every customer and for ranges cut mid-hour; null without readings', async () => {
    for (const invoice of expected) {
      const result = await peak(customerGid(invoice.customer), SEPTEMBER);
      expect(new Decimal(result!.kw).toFixed(4), invoice.customer).toBe(
        new Decimal(quantity(invoice, 'DEMAND')).toFixed(4),
      );
    }
    const c5 = await peak(customerGid('C-0005'), SEPTEMBER);
    expect(c5!.meters).toHaveLength(2);
    for (const [from, to] of [
      ['2025-09-03T13:07:00Z', '2025-09-04T02:50:00Z'],
      ['2025-09-10T00:15:00Z', '2025-09-10T00:45:00Z'],
      ['2025-09-12T09:45:00Z', '2025-09-20T10:30:00Z'],
    ] as const) {
      const result = await peak(customerGid('C-0007'), { from, to });
      const slotFrom = new Date(Math.ceil(new Date(from).getTime() / 900_000) * 900_000).toISOString();
      const brute = await bruteForcePeak('C-0007', slotFrom, to);
      expect(result!.slotStart, `${from}–${to}`).toBe(brute.slot.toISOString());
      expect(new Decimal(result!.kw).toFixed()).toBe(brute.kwh.times(4).toFixed());
    }
    expect(await peak(customerGid('C-0001'), { from: '2025-10-01T06:00:00Z', to: '2025-10-05T06:00:00Z' })).toBeNull();
  });
});

interface Completeness {
  period: string;
  timeZone: string;
  expectedSlots: number;
  presentSlots: number;
  missingSlots: number;
  percent: string;
  gaps: { from: string; to: string; localFrom: string; localTo: string; slots: number }[];
}
const COMPLETENESS = /* GraphQL */ `
  query ($reps: [_Any!]!, $period: YearMonth!) {
    _entities(representations: $reps) {
      ... on Meter {
        dataCompleteness(period: $period) {
          period
          timeZone
          expectedSlots
          presentSlots
          missingSlots
          percent
          gaps {
            from
            to
            localFrom
            localTo
            slots
          }
        }
      }
    }
  }
`;
function completenessOp(bearer: string, meterId: string, period: string) {
  return gql<{ _entities: { dataCompleteness: Completeness }[] }>(stack, bearer, COMPLETENESS, {
    reps: [{ __typename: 'Meter', id: meterId }],
    period,
  });
}

/** Deletes readings of a meter (a hole) and recomputes the rollups, as a lost file would leave them. */
async function punchHole(code: string, ranges: readonly [string, string][]): Promise<void> {
  const meter = eis.customers.get(code)!.meters[0];
  await asSystem(stack.database, 'test: punch a hole', async (tx) => {
    for (const [from, to] of ranges) {
      await tx
        .delete(schema.meterReadings)
        .where(
          and(
            eq(schema.meterReadings.clientId, eis.id),
            eq(schema.meterReadings.meterId, meter.id),
            gte(schema.meterReadings.slotStart, new Date(from)),
            lt(schema.meterReadings.slotStart, new Date(to)),
          ),
        );
    }
    await recomputeRollups(tx, {
      clientId: eis.id,
      zone: ZONE,
      meterIds: [meter.id],
      from: new Date(ranges[0][0]),
      to: new Date(ranges.at(-1)![1]),
    });
  });
}

describe('Meter.dataCompleteness', () => {
  it('counts 2,880 of 2,880 slots for a complete September and 2,976 expected (none present) in October', async () => {
    const september = expectData(await completenessOp(token, meterGid('C-0001'), '2025-09'))._entities[0];
    expect(september.dataCompleteness).toEqual({
      period: '2025-09',
      timeZone: ZONE,
      expectedSlots: 2880,
      presentSlots: 2880,
      missingSlots: 0,
      percent: '100',
      gaps: [],
    });
    const october = expectData(await completenessOp(token, meterGid('C-0001'), '2025-10'))._entities[0];
    expect(october.dataCompleteness).toMatchObject({ expectedSlots: 2976, presentSlots: 0, missingSlots: 2976 });
    expect(october.dataCompleteness.gaps).toEqual([
      {
        from: '2025-10-01T06:00:00.000Z',
        to: '2025-11-01T06:00:00.000Z',
        localFrom: '2025-10-01T00:00:00',
        localTo: '2025-11-01T00:00:00',
        slots: 2976,
      },
    ]);
  });

  it('reports a hole as exact gap ranges in local time, and the summary lists the customer as incomplete', async () => {
    // Local 2025-09-10 10:00–11:30 (6 slots) and the very first slot of the month.
    await punchHole('C-0004', [
      ['2025-09-01T06:00:00Z', '2025-09-01T06:15:00Z'],
      ['2025-09-10T16:00:00Z', '2025-09-10T17:30:00Z'],
    ]);
    const result = expectData(await completenessOp(token, meterGid('C-0004'), '2025-09'))._entities[0].dataCompleteness;
    expect(result).toEqual({
      period: '2025-09',
      timeZone: ZONE,
      expectedSlots: 2880,
      presentSlots: 2873,
      missingSlots: 7,
      percent: '99.75',
      gaps: [
        {
          from: '2025-09-01T06:00:00.000Z',
          to: '2025-09-01T06:15:00.000Z',
          localFrom: '2025-09-01T00:00:00',
          localTo: '2025-09-01T00:15:00',
          slots: 1,
        },
        {
          from: '2025-09-10T16:00:00.000Z',
          to: '2025-09-10T17:30:00.000Z',
          localFrom: '2025-09-10T10:00:00',
          localTo: '2025-09-10T11:30:00',
          slots: 6,
        },
      ],
    });
    const summary = await consumptionSummary(token, '2025-09');
    expect(summary.incompleteCustomers.map((c) => [c.customerCode, c.readings, c.expectedReadings])).toEqual([
      ['C-0004', 2873, 2880],
    ]);
  });

  it('is tenant-checked like Meter.readings', async () => {
    const own = await customerToken(stack, eis, eis.customers.get('C-0001')!.id);
    expect(
      expectData(await completenessOp(own, meterGid('C-0001'), '2025-09'))._entities[0].dataCompleteness.presentSlots,
    ).toBe(2880);
    expectErrorCode(await completenessOp(own, meterGid('C-0002'), '2025-09'), 'FORBIDDEN');
    const stranger = await seedClient(stack, { withSampleCustomers: false });
    expectErrorCode(await completenessOp(await stranger.adminToken(), meterGid('C-0001'), '2025-09'), 'FORBIDDEN');
    expectErrorCode(await completenessOp(token, toGlobalId('Meter', eis.id, randomUUID()), '2025-09'), 'NOT_FOUND');
  });
});

interface Summary {
  period: string;
  timeZone: string;
  unit: string;
  total: string;
  totalByBlock: { block: string; kwh: string }[];
  customerCount: number;
  customers: {
    customer: { id: string };
    customerCode: string;
    kwh: string;
    byBlock: { block: string; kwh: string }[];
    maxKw: string | null;
    readings: number;
    expectedReadings: number;
    complete: boolean;
  }[];
  incompleteCustomers: Summary['customers'];
}
const SUMMARY_FIELDS = `period timeZone unit total totalByBlock { block kwh } customerCount
  customers { customer { id } customerCode kwh byBlock { block kwh } maxKw readings expectedReadings complete }
  incompleteCustomers { customer { id } customerCode kwh byBlock { block kwh } maxKw readings expectedReadings complete }`;
const SUMMARY = /* GraphQL */ `
  query ($reps: [_Any!]!, $period: YearMonth!, $top: Int) {
    _entities(representations: $reps) { ... on Client { consumptionSummary(period: $period, top: $top) { ${SUMMARY_FIELDS} } } }
  }
`;
function summaryOp(bearer: string, period: string, top?: number, clientId = eis.globalId) {
  return gql<{ _entities: { consumptionSummary: Summary }[] }>(stack, bearer, SUMMARY, {
    reps: [{ __typename: 'Client', id: clientId }],
    period,
    ...(top ? { top } : {}),
  });
}
async function consumptionSummary(bearer: string, period: string, top?: number): Promise<Summary> {
  return expectData(await summaryOp(bearer, period, top))._entities[0].consumptionSummary;
}

describe('Client.consumptionSummary', () => {
  it('totals every customer per block, lists the largest first, and is for administrators only', async () => {
    const summary = await consumptionSummary(token, '2025-09', 3);
    expect(summary).toMatchObject({ period: '2025-09', timeZone: ZONE, unit: 'kWh', customerCount: 10 });
    const expectedTotals = Object.fromEntries(
      ['PUNTA', 'RESTO', 'VALLE'].map((block) => [
        block,
        sum(expected.map((i) => quantity(i, `ENERGY_${block}`))).toFixed(4),
      ]),
    );
    // C-0004 lost 7 slots in the completeness test above: the totals are the invoices' less that hole.
    const c4Hole = await holeKwhOfC4();
    expect(blockMap(summary.totalByBlock)).toEqual(
      Object.fromEntries(
        Object.entries(expectedTotals).map(([block, kwh]) => [
          block,
          new Decimal(kwh).minus(c4Hole[block as 'PUNTA']).toFixed(4),
        ]),
      ),
    );
    expect(summary.customers.map((c) => c.customerCode)).toEqual(['C-0005', 'C-0009', 'C-0001']);
    const c5 = summary.customers[0];
    const c5Invoice = expected.find((i) => i.customer === 'C-0005')!;
    expect(c5).toMatchObject({ readings: 5760, expectedReadings: 5760, complete: true });
    expect(new Decimal(c5.maxKw!).toFixed(4)).toBe(new Decimal(quantity(c5Invoice, 'DEMAND')).toFixed(4));
    expect(c5.customer.id).toBe(customerGid('C-0005'));
    expect(new Decimal(c5.kwh).toFixed(4)).toBe(
      sum(['PUNTA', 'RESTO', 'VALLE'].map((b) => quantity(c5Invoice, `ENERGY_${b}`))).toFixed(4),
    );

    const own = await customerToken(stack, eis, eis.customers.get('C-0001')!.id);
    expectErrorCode(await summaryOp(own, '2025-09'), 'FORBIDDEN');
    const stranger = await seedClient(stack, { withSampleCustomers: false });
    expectErrorCode(await summaryOp(await stranger.adminToken(), '2025-09'), 'FORBIDDEN');
    expectErrorCode(await summaryOp(token, '2025-09', 5000), 'BAD_USER_INPUT');
  });
});

/** kWh per block that the C-0004 hole removed (zero before the hole is punched). */
async function holeKwhOfC4(): Promise<Record<'PUNTA' | 'RESTO' | 'VALLE', Decimal>> {
  const invoice = expected.find((i) => i.customer === 'C-0004')!;
  const stored = await consumption(customerGid('C-0004'), { range: SEPTEMBER, granularity: 'MONTH' });
  const stored4 = Object.fromEntries(stored.totalByBlock.map((b) => [b.block, new Decimal(b.kwh)]));
  return {
    PUNTA: new Decimal(quantity(invoice, 'ENERGY_PUNTA')).minus(stored4.PUNTA ?? 0),
    RESTO: new Decimal(quantity(invoice, 'ENERGY_RESTO')).minus(stored4.RESTO ?? 0),
    VALLE: new Decimal(quantity(invoice, 'ENERGY_VALLE')).minus(stored4.VALLE ?? 0),
  };
}

describe('in a zone with daylight saving (America/New_York)', () => {
  it('DAY buckets follow local midnights (a 25-hour day), HOUR repeats 01:00, completeness expects 2,884 slots in November', async () => {
    const ny = await seedClient(stack, { withSampleCustomers: false });
    const customerId = randomUUID();
    const meterId = randomUUID();
    await asSystem(stack.database, 'test: a New York client', async (tx) => {
      await tx.update(schema.clients).set({ timeZone: 'America/New_York' }).where(eq(schema.clients.id, ny.id));
      await tx.insert(schema.customers).values({ clientId: ny.id, id: customerId, code: 'NY-1', name: 'NY' });
      await tx.insert(schema.meters).values({ clientId: ny.id, id: meterId, serial: `NY-${meterId.slice(0, 6)}` });
      await tx
        .insert(schema.meterAssignments)
        .values({ clientId: ny.id, meterId, customerId, validFrom: new Date('2020-01-01T00:00:00Z') });
    });
    const nyToken = await ny.adminToken();
    const meterGlobalId = toGlobalId('Meter', ny.id, meterId);
    // Local 2025-11-02 00:00 EDT (04:00Z) to 2025-11-03 00:00 EST (05:00Z): 25 hours, 100 slots of 1 kWh.
    const readings = Array.from({ length: 100 }, (_, i) => ({
      slotStart: new Date(Date.parse('2025-11-02T04:00:00Z') + i * 900_000).toISOString(),
      kwh: '1',
    }));
    const ingested = await gql<{ ingestReadings: { summary: { new: number } | null; userErrors: unknown[] } }>(
      stack,
      nyToken,
      `mutation($input: IngestReadingsInput!) { ingestReadings(input: $input) { summary { new } userErrors { field message } } }`,
      { input: { meterId: meterGlobalId, readings } },
    );
    expect(expectData(ingested).ingestReadings).toEqual({ summary: { new: 100 }, userErrors: [] });

    const customerGlobalId = toGlobalId('Customer', ny.id, customerId);
    const days = await consumption(
      customerGlobalId,
      { range: { from: '2025-11-01T04:00:00Z', to: '2025-11-04T05:00:00Z' }, granularity: 'DAY' },
      nyToken,
    );
    expect(days.timeZone).toBe('America/New_York');
    expect(days.points.map((p) => [p.localStart, p.start, p.end, p.kwh, p.readings])).toEqual([
      ['2025-11-01T00:00:00', '2025-11-01T04:00:00.000Z', '2025-11-02T04:00:00.000Z', '0', 0],
      ['2025-11-02T00:00:00', '2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z', '100', 100],
      ['2025-11-03T00:00:00', '2025-11-03T05:00:00.000Z', '2025-11-04T05:00:00.000Z', '0', 0],
    ]);
    const hours = await consumption(
      customerGlobalId,
      { range: { from: '2025-11-02T04:00:00Z', to: '2025-11-03T05:00:00Z' }, granularity: 'HOUR', byBlock: true },
      nyToken,
    );
    expect(hours.points).toHaveLength(25);
    expect(hours.points.slice(0, 4).map((p) => p.localStart)).toEqual([
      '2025-11-02T00:00:00',
      '2025-11-02T01:00:00',
      '2025-11-02T01:00:00',
      '2025-11-02T02:00:00',
    ]);
    expect(hours.points.every((p) => p.kwh === '4' && p.readings === 4)).toBe(true);
    // A customer without a tariff has its energy under block NONE.
    expect(hours.totalByBlock).toEqual([{ block: 'NONE', kwh: '100' }]);

    const november = expectData(await completenessOp(nyToken, meterGlobalId, '2025-11'))._entities[0].dataCompleteness;
    expect(november).toMatchObject({
      timeZone: 'America/New_York',
      expectedSlots: 2884,
      presentSlots: 100,
      missingSlots: 2784,
    });
    expect(november.gaps).toEqual([
      {
        from: '2025-11-01T04:00:00.000Z',
        to: '2025-11-02T04:00:00.000Z',
        localFrom: '2025-11-01T00:00:00',
        localTo: '2025-11-02T00:00:00',
        slots: 96,
      },
      {
        from: '2025-11-03T05:00:00.000Z',
        to: '2025-12-01T05:00:00.000Z',
        localFrom: '2025-11-03T00:00:00',
        localTo: '2025-12-01T00:00:00',
        slots: 2688,
      },
    ]);
    const march = expectData(await completenessOp(nyToken, meterGlobalId, '2025-03'))._entities[0].dataCompleteness;
    expect(march).toMatchObject({ expectedSlots: 2972, presentSlots: 0, missingSlots: 2972 });
  });
});
