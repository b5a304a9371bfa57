import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Tenancy's own tariff loader, so the customer's slots fall in the MT-H blocks.
import { insertTariffFile, tariffFileSchema } from '../../subgraphs/tenancy/src/seed/tariff-file';
import {
  expectData,
  expectErrorCode,
  gql,
  seed,
  startStack,
  type GqlResult,
  type SeededClient,
  type Stack,
} from './kit';

const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../shared/samples');

let stack: Stack;
let own: SeededClient;
let adminToken: string;
let otherAdminToken: string;
let userA: string;
let userB: string;
let apiKey: string;
let customerA: string;
let customerB: string;
let meterA: string;
let rawMeterA: string;

/** Slot i (0..95) of local 2025-09-01 holds (i mod 8) + 1 raw kWh; slots 40 and 41 (10:00, 10:15) are missing. */
const DAY_START = Date.parse('2025-09-01T06:00:00Z');
const MISSING = new Set([40, 41]);
const rawKwh = (i: number): number => (i % 8) + 1;
const MULTIPLIER = 2;
const blockOf = (i: number): string => (i < 20 || i >= 92 ? 'VALLE' : i < 72 ? 'RESTO' : 'PUNTA');

const CREATE_KEY = /* GraphQL */ `
  mutation MeteringQueriesKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      userErrors {
        message
      }
    }
  }
`;
const INGEST = /* GraphQL */ `
  mutation GatewayIngest($input: IngestReadingsInput!) {
    ingestReadings(input: $input) {
      meter {
        id
        serial
      }
      summary {
        received
        new
        unchanged
        replaced
        customers
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

beforeAll(async () => {
  stack = await startStack();
  const first = await seed(stack).client();
  own = first.client;
  adminToken = await first.admin.login();
  otherAdminToken = await (await seed(stack).client()).admin.login();
  const a = await own.customer();
  const b = await own.customer();
  customerA = a.customer.globalId;
  customerB = b.customer.globalId;
  userA = await a.user.login();
  userB = await b.user.login();
  rawMeterA = randomUUID();
  meterA = toGlobalId('Meter', own.id, rawMeterA);
  const tariff = tariffFileSchema.parse(JSON.parse(readFileSync(resolve(SAMPLES, 'tariffs/MT-H.json'), 'utf8')));
  await asSystem(stack.database, 'test: meters and tariff', async (tx) => {
    const tariffId = await insertTariffFile(tx, own.id, tariff);
    await tx
      .update(schema.customers)
      .set({ tariffId })
      .where(and(eq(schema.customers.clientId, own.id), eq(schema.customers.id, a.customer.id)));
    const rawMeterB = randomUUID();
    await tx.insert(schema.meters).values([
      { clientId: own.id, id: rawMeterA, serial: `GW-A-${rawMeterA.slice(0, 6)}`, multiplier: String(MULTIPLIER) },
      { clientId: own.id, id: rawMeterB, serial: `GW-B-${rawMeterB.slice(0, 6)}` },
    ]);
    const validFrom = new Date('2020-01-01T06:00:00Z');
    await tx.insert(schema.meterAssignments).values([
      { clientId: own.id, meterId: rawMeterA, customerId: a.customer.id, validFrom },
      { clientId: own.id, meterId: rawMeterB, customerId: b.customer.id, validFrom },
    ]);
  });
  const key = expectData(
    await gql<{ createApiKey: { secret: string | null } }>(stack, {
      query: CREATE_KEY,
      variables: { input: { clientId: own.globalId, name: 'Head-end', scopes: ['readings:write'] } },
      token: adminToken,
    }),
  ).createApiKey.secret;
  if (!key) throw new Error('no API key');
  apiKey = key;
}, 120_000);

afterAll(() => stack?.stop());

const readings = Array.from({ length: 96 }, (_, i) => i)
  .filter((i) => !MISSING.has(i))
  .map((i) => ({ slotStart: new Date(DAY_START + i * 900_000).toISOString(), kwh: String(rawKwh(i)) }));
const stored = Array.from({ length: 96 }, (_, i) => i).filter((i) => !MISSING.has(i));
const dayTotal = stored.reduce((sum, i) => sum.plus(rawKwh(i) * MULTIPLIER), new Decimal(0));
const blockTotal = (block: string) =>
  stored.filter((i) => blockOf(i) === block).reduce((sum, i) => sum.plus(rawKwh(i) * MULTIPLIER), new Decimal(0));

type Credential = { token?: string; apiKey?: string };

describe('ingestReadings through the gateway', () => {
  it('stores a head-end’s day with a readings:write API key; other clients, customer users and anonymous callers are refused', async () => {
    const input = { meterId: meterA, readings };
    const first = expectData(
      await gql<{
        ingestReadings: { meter: { serial: string } | null; summary: Record<string, number>; userErrors: unknown[] };
      }>(stack, { query: INGEST, variables: { input }, apiKey }),
    ).ingestReadings;
    expect(first.userErrors).toEqual([]);
    expect(first.summary).toEqual({ received: 94, new: 94, unchanged: 0, replaced: 0, customers: 1 });
    expect(first.meter?.serial).toMatch(/^GW-A-/);
    const again = expectData(
      await gql<{ ingestReadings: { summary: Record<string, number> } }>(stack, {
        query: INGEST,
        variables: { input },
        token: adminToken,
      }),
    ).ingestReadings;
    expect(again.summary).toMatchObject({ new: 0, unchanged: 94, replaced: 0 });

    const one = { meterId: meterA, readings: readings.slice(0, 1) };
    expectErrorCode(
      await gql(stack, { query: INGEST, variables: { input: one }, token: otherAdminToken }),
      'FORBIDDEN',
    );
    expectErrorCode(await gql(stack, { query: INGEST, variables: { input: one }, token: userA }), 'FORBIDDEN');
    expectErrorCode(await gql(stack, { query: INGEST, variables: { input: one } }), 'UNAUTHENTICATED');
  });
});

const CONSUMPTION = /* GraphQL */ `
  query GatewayConsumption($id: ID!, $range: TimeRangeInput!, $granularity: ConsumptionGranularity!) {
    customer(id: $id) {
      consumption(range: $range, granularity: $granularity, byBlock: true) {
        timeZone
        total
        totalByBlock {
          block
          kwh
        }
        readings
        points {
          localStart
          kwh
          readings
          blocks {
            block
            kwh
          }
        }
      }
    }
  }
`;
interface ConsumptionData {
  customer: {
    consumption: {
      timeZone: string;
      total: string;
      totalByBlock: { block: string; kwh: string }[];
      readings: number;
      points: { localStart: string; kwh: string; readings: number; blocks: { block: string; kwh: string }[] }[];
    };
  };
}
const september = { from: '2025-09-01T06:00:00Z', to: '2025-10-01T06:00:00Z' };
const consumptionOp = (credential: Credential, id = customerA, granularity = 'DAY') =>
  gql<ConsumptionData>(stack, {
    query: CONSUMPTION,
    variables: { id, range: september, granularity },
    ...credential,
  });

const PEAK = /* GraphQL */ `
  query GatewayPeak($id: ID!, $range: TimeRangeInput!) {
    customer(id: $id) {
      peakDemand(range: $range) {
        kw
        kwh
        slotStart
        localSlotStart
        block
        meter {
          id
          serial
        }
      }
    }
  }
`;
const peakOp = (credential: Credential, id = customerA) =>
  gql<{ customer: { peakDemand: Record<string, unknown> | null } }>(stack, {
    query: PEAK,
    variables: { id, range: september },
    ...credential,
  });

const COMPLETENESS = /* GraphQL */ `
  query GatewayCompleteness($id: ID!) {
    meter(id: $id) {
      dataCompleteness(period: "2025-09") {
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
`;
const completenessOp = (credential: Credential) =>
  gql<{ meter: { dataCompleteness: Record<string, unknown> } }>(stack, {
    query: COMPLETENESS,
    variables: { id: meterA },
    ...credential,
  });

const SUMMARY = /* GraphQL */ `
  query GatewaySummary($id: ID!) {
    client(id: $id) {
      consumptionSummary(period: "2025-09") {
        total
        customerCount
        totalByBlock {
          block
          kwh
        }
        customers {
          customerCode
          kwh
          readings
          expectedReadings
          complete
          customer {
            id
            name
          }
        }
        incompleteCustomers {
          customerCode
          readings
          expectedReadings
        }
      }
    }
  }
`;
const summaryOp = (credential: Credential) =>
  gql<{ client: { consumptionSummary: Record<string, unknown> & { total: string } } }>(stack, {
    query: SUMMARY,
    variables: { id: own.globalId },
    ...credential,
  });

function refusedWith(result: GqlResult<unknown>, code: string): void {
  expectErrorCode(result, code);
}

describe('metering queries through the gateway', () => {
  it('Customer.consumption: per-day and per-block kWh × multiplier for the client admin and the customer’s own user', async () => {
    const data = expectData(await consumptionOp({ token: adminToken })).customer.consumption;
    expect(data.timeZone).toBe('America/El_Salvador');
    expect(data.points).toHaveLength(30);
    expect(data.readings).toBe(94);
    expect(new Decimal(data.total).toFixed()).toBe(dayTotal.toFixed());
    expect(data.points[0]).toMatchObject({ localStart: '2025-09-01T00:00:00', readings: 94 });
    expect(data.points[1]).toMatchObject({ localStart: '2025-09-02T00:00:00', kwh: '0', readings: 0, blocks: [] });
    expect(data.totalByBlock.map((b) => [b.block, new Decimal(b.kwh).toFixed()])).toEqual([
      ['PUNTA', blockTotal('PUNTA').toFixed()],
      ['RESTO', blockTotal('RESTO').toFixed()],
      ['VALLE', blockTotal('VALLE').toFixed()],
    ]);
    const mine = expectData(await consumptionOp({ token: userA }, customerA, 'HOUR')).customer.consumption;
    expect(mine.points).toHaveLength(720);
    expect(new Decimal(mine.total).toFixed()).toBe(dayTotal.toFixed());
    // 10:00 local lost two of its four slots; slots 42 and 43 hold 3 and 4 kWh: (3 + 4) × 2.
    expect(mine.points[10]).toMatchObject({ localStart: '2025-09-01T10:00:00', readings: 2, kwh: '14' });
  });

  it('Customer.consumption: other client FORBIDDEN, another customer’s user FORBIDDEN, anonymous UNAUTHENTICATED', async () => {
    refusedWith(await consumptionOp({ token: otherAdminToken }), 'FORBIDDEN');
    refusedWith(await consumptionOp({ token: userB }), 'FORBIDDEN');
    refusedWith(await consumptionOp({}), 'UNAUTHENTICATED');
    // The head-end key holds readings:write only.
    refusedWith(await consumptionOp({ apiKey }), 'FORBIDDEN');
  });

  it('Customer.peakDemand: the first slot holding 8 kWh × 2 = 64 kW, its block and meter; same refusals', async () => {
    const peak = expectData(await peakOp({ token: adminToken })).customer.peakDemand;
    expect(peak).toEqual({
      kw: '64',
      kwh: '16',
      slotStart: '2025-09-01T07:45:00.000Z',
      localSlotStart: '2025-09-01T01:45:00',
      block: 'VALLE',
      meter: { id: meterA, serial: expect.stringMatching(/^GW-A-/) },
    });
    expect(expectData(await peakOp({ token: userA })).customer.peakDemand).toMatchObject({ kw: '64' });
    refusedWith(await peakOp({ token: otherAdminToken }), 'FORBIDDEN');
    refusedWith(await peakOp({ token: userB }), 'FORBIDDEN');
    refusedWith(await peakOp({}), 'UNAUTHENTICATED');
  });

  it('Meter.dataCompleteness: 94 of 2,880 slots with the exact gaps; same refusals', async () => {
    const result = expectData(await completenessOp({ token: adminToken })).meter.dataCompleteness;
    expect(result).toEqual({
      expectedSlots: 2880,
      presentSlots: 94,
      missingSlots: 2786,
      percent: '3.26',
      gaps: [
        {
          from: '2025-09-01T16:00:00.000Z',
          to: '2025-09-01T16:30:00.000Z',
          localFrom: '2025-09-01T10:00:00',
          localTo: '2025-09-01T10:30:00',
          slots: 2,
        },
        {
          from: '2025-09-02T06:00:00.000Z',
          to: '2025-10-01T06:00:00.000Z',
          localFrom: '2025-09-02T00:00:00',
          localTo: '2025-10-01T00:00:00',
          slots: 2784,
        },
      ],
    });
    expect(expectData(await completenessOp({ token: userA })).meter.dataCompleteness).toMatchObject({
      presentSlots: 94,
    });
    refusedWith(await completenessOp({ token: otherAdminToken }), 'FORBIDDEN');
    refusedWith(await completenessOp({ token: userB }), 'FORBIDDEN');
    refusedWith(await completenessOp({}), 'UNAUTHENTICATED');
  });

  it('Client.consumptionSummary: the client admin sees both customers; customer users, other clients and anonymous callers do not', async () => {
    const summary = expectData(await summaryOp({ token: adminToken })).client.consumptionSummary;
    expect(new Decimal(summary.total).toFixed()).toBe(dayTotal.toFixed());
    expect(summary).toMatchObject({
      customerCount: 2,
      customers: [
        { kwh: dayTotal.toFixed(), readings: 94, expectedReadings: 2880, complete: false, customer: { id: customerA } },
        { kwh: '0', readings: 0, expectedReadings: 2880, complete: false, customer: { id: customerB } },
      ],
    });
    expect(summary.incompleteCustomers).toHaveLength(2);
    refusedWith(await summaryOp({ token: userA }), 'FORBIDDEN');
    refusedWith(await summaryOp({ token: otherAdminToken }), 'FORBIDDEN');
    refusedWith(await summaryOp({}), 'UNAUTHENTICATED');
  });
});
