import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClientTariffsDocument,
  CreateTariffDocument,
  ScheduleRateSetDocument,
  TariffByIdDocument,
} from './__generated__/graphql';
import { expectData, expectErrorCode, gql, seed, startStack, type Stack } from './kit';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const MT_H_BLOCKS = [
  { code: 'VALLE', start: '23:00', end: '05:00' },
  { code: 'RESTO', start: '05:00', end: '18:00' },
  { code: 'PUNTA', start: '18:00', end: '23:00' },
];
const MAY_RATES = {
  validFrom: '2025-05-01',
  energyRates: [
    { block: 'VALLE', rate: '0.158412' },
    { block: 'RESTO', rate: '0.171237' },
    { block: 'PUNTA', rate: '0.189654' },
  ],
  demandRate: '9.875000',
  ftpmsRate: '0.004210',
  deviationRate: '0.144420',
};

interface TariffResult {
  tariff: {
    id: string;
    code: string;
    blocks: { code: string; start: string; end: string }[];
    rateSets: { validFrom: string; demandRate: string; locked: boolean }[];
  } | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

async function adminOfNewClient() {
  const seeded = await seed(stack).client();
  return { ...seeded, token: await seeded.admin.login() };
}

describe('tariffs through the gateway', () => {
  it('creates MT-H, schedules the October change, and lists the history in order', async () => {
    const { client, token } = await adminOfNewClient();
    const created = expectData(
      await gql<{ createTariff: TariffResult }>(stack, {
        query: print(CreateTariffDocument),
        variables: {
          input: {
            clientId: client.globalId,
            code: 'MT-H',
            name: 'Media tensión horaria',
            blocks: MT_H_BLOCKS,
            rateSets: [MAY_RATES],
          },
        },
        token,
      }),
    ).createTariff;
    expect(created.userErrors).toEqual([]);
    expect(created.tariff?.blocks.map((b) => `${b.code} ${b.start}-${b.end}`)).toEqual(
      expect.arrayContaining(['VALLE 23:00-05:00', 'RESTO 05:00-18:00', 'PUNTA 18:00-23:00']),
    );
    const scheduled = expectData(
      await gql<{ scheduleRateSet: TariffResult }>(stack, {
        query: print(ScheduleRateSetDocument),
        variables: {
          input: { ...MAY_RATES, tariffId: created.tariff!.id, validFrom: '2025-10-15', demandRate: '10.125' },
        },
        token,
      }),
    ).scheduleRateSet;
    expect(scheduled.userErrors).toEqual([]);
    expect(scheduled.tariff?.rateSets.map((r) => [r.validFrom, r.demandRate, r.locked])).toEqual([
      ['2025-05-01', '9.875', false],
      ['2025-10-15', '10.125', false],
    ]);
    const listed = expectData(
      await gql<{ client: { tariffs: { code: string }[] } }>(stack, {
        query: print(ClientTariffsDocument),
        variables: { id: client.globalId },
        token,
      }),
    );
    expect(listed.client.tariffs.map((t) => t.code)).toEqual(['MT-H']);
  });

  it('refuses blocks that leave minutes uncovered or overlap, naming the ranges', async () => {
    const { client, token } = await adminOfNewClient();
    const gap = expectData(
      await gql<{ createTariff: TariffResult }>(stack, {
        query: print(CreateTariffDocument),
        variables: {
          input: {
            clientId: client.globalId,
            code: 'GAP',
            name: 'Gap',
            blocks: [
              { code: 'VALLE', start: '23:00', end: '05:00' },
              { code: 'RESTO', start: '05:00', end: '17:00' },
              { code: 'PUNTA', start: '18:00', end: '23:30' },
            ],
            rateSets: [MAY_RATES],
          },
        },
        token,
      }),
    ).createTariff;
    expect(gap.tariff).toBeNull();
    const messages = gap.userErrors.map((e) => e.message).join(' | ');
    expect(messages).toMatch(/17:00.18:00/);
    expect(messages).toMatch(/23:00.23:30/);
    expect(gap.userErrors.every((e) => e.code === 'BAD_USER_INPUT')).toBe(true);
  });

  it('refuses a rate set that misses a block or rates a block twice', async () => {
    const { client, token } = await adminOfNewClient();
    const result = expectData(
      await gql<{ createTariff: TariffResult }>(stack, {
        query: print(CreateTariffDocument),
        variables: {
          input: {
            clientId: client.globalId,
            code: 'MT-H',
            name: 'MT-H',
            blocks: MT_H_BLOCKS,
            rateSets: [{ ...MAY_RATES, energyRates: [MAY_RATES.energyRates[0], MAY_RATES.energyRates[0]] }],
          },
        },
        token,
      }),
    ).createTariff;
    expect(result.tariff).toBeNull();
    expect(result.userErrors.map((e) => e.field?.join('.'))).toEqual(
      expect.arrayContaining(['input.rateSets.0.energyRates.1.block', 'input.rateSets.0.energyRates']),
    );
  });

  it('refuses other clients, customer users and anonymous callers', async () => {
    const { client, token } = await adminOfNewClient();
    const created = expectData(
      await gql<{ createTariff: TariffResult }>(stack, {
        query: print(CreateTariffDocument),
        variables: {
          input: { clientId: client.globalId, code: 'MT-H', name: 'MT-H', blocks: MT_H_BLOCKS, rateSets: [MAY_RATES] },
        },
        token,
      }),
    ).createTariff;
    const other = await adminOfNewClient();
    const { user } = await client.customer();
    const userToken = await user.login();
    const id = created.tariff!.id;
    expectErrorCode(
      await gql(stack, { query: print(TariffByIdDocument), variables: { id }, token: other.token }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, { query: print(TariffByIdDocument), variables: { id }, token: userToken }),
      'FORBIDDEN',
    );
    expectErrorCode(await gql(stack, { query: print(TariffByIdDocument), variables: { id } }), 'UNAUTHENTICATED');
    const schedule = { input: { ...MAY_RATES, tariffId: id, validFrom: '2026-01-01' } };
    expectErrorCode(
      await gql(stack, { query: print(ScheduleRateSetDocument), variables: schedule, token: other.token }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, { query: print(ScheduleRateSetDocument), variables: schedule, token: userToken }),
      'FORBIDDEN',
    );
    const createElsewhere = {
      input: { clientId: client.globalId, code: 'X', name: 'X', blocks: MT_H_BLOCKS, rateSets: [MAY_RATES] },
    };
    expectErrorCode(
      await gql(stack, { query: print(CreateTariffDocument), variables: createElsewhere, token: other.token }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, { query: print(ClientTariffsDocument), variables: { id: client.globalId }, token: other.token }),
      'FORBIDDEN',
    );
  });
});
