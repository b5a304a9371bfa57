import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { asSystem, schema } from '@ciro/db';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportCustomerWorkbookDocument, UpsertCustomersDocument } from './__generated__/graphql';
import { expectData, expectErrorCode, gql, seed, startStack, type Stack } from './kit';

const samplesDir = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../shared/samples');
const workbook = readFileSync(resolve(samplesDir, 'customers', 'Datos de clientes para facturación.xlsx'));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function clientWithTariff() {
  const seeded = await seed(stack).client();
  await asSystem(stack.database, 'test: MT-H tariff', (tx) =>
    tx.insert(schema.tariffs).values({ clientId: seeded.client.id, code: 'MT-H', name: 'MT-H' }),
  );
  return { ...seeded, token: await seeded.admin.login() };
}

interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  metersCreated: number;
  customers: {
    code: string;
    nit: string;
    lossFactor: string;
    deviationTolerance: string | null;
    meters: { serial: string; multiplier: string }[];
  }[];
  userErrors: { field: string[]; message: string }[];
  rowErrors: { sheet: string; row: number | null; column: string | null; value: string | null; message: string }[];
}

describe('customer workbook import through the gateway', () => {
  it('imports the sample workbook, and a second import of the same file changes nothing', async () => {
    const { client, token } = await clientWithTariff();
    const variables = { input: { clientId: client.globalId, contentBase64: workbook.toString('base64') } };
    const first = expectData(
      await gql<{ importCustomerWorkbook: ImportResult }>(stack, {
        query: print(ImportCustomerWorkbookDocument),
        variables,
        token,
      }),
    ).importCustomerWorkbook;
    expect(first).toMatchObject({
      created: 10,
      updated: 0,
      unchanged: 0,
      metersCreated: 11,
      userErrors: [],
      rowErrors: [],
    });
    const c1 = first.customers.find((c) => c.code === 'C-0001');
    expect(c1).toMatchObject({
      nit: '0614-150396-102-3',
      deviationTolerance: '0.1',
      meters: [{ serial: '5614086', multiplier: '1' }],
    });
    expect(Number(c1?.lossFactor)).toBe(0.0235);
    const c5 = first.customers.find((c) => c.code === 'C-0005');
    expect(c5?.meters.map((m) => [m.serial, m.multiplier])).toEqual([
      ['5614300', '80'],
      ['5614301', '80'],
    ]);

    const second = expectData(
      await gql<{ importCustomerWorkbook: ImportResult }>(stack, {
        query: print(ImportCustomerWorkbookDocument),
        variables,
        token,
      }),
    ).importCustomerWorkbook;
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 10, metersCreated: 0 });
  });

  it('reports bad rows by sheet, row and column and still imports the good ones', async () => {
    const { client, token } = await clientWithTariff();
    const sheet = XLSX.utils.aoa_to_sheet([
      [
        'Código cliente',
        'Nombre / Razón social',
        'NIT',
        'NRC',
        'Nodo',
        'Serie medidor',
        'Tarifa',
        'Factor de pérdidas',
      ],
      ['C-0101', 'Buena, S.A.', '0614-150396-102-3', '87654-2', 'Ateos', '9000001', 'MT-H', '2.35%'],
      ['C-0102', 'Mala, S.A.', '0614-1503', '87654-2', 'Ateos', '9000002', 'MT-H', '2%'],
      ['C-0103', 'Tarifa rara, S.A.', '0614-150396-102-3', '87654-2', 'Ateos', '9000003', 'XX-9', 'abc'],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'Clientes');
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
    const result = expectData(
      await gql<{ importCustomerWorkbook: ImportResult }>(stack, {
        query: print(ImportCustomerWorkbookDocument),
        variables: { input: { clientId: client.globalId, contentBase64: bytes.toString('base64') } },
        token,
      }),
    ).importCustomerWorkbook;
    expect(result.created).toBe(1);
    expect(result.customers.map((c) => c.code)).toEqual(['C-0101']);
    expect(result.rowErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sheet: 'Clientes', row: 3, column: 'NIT (C)', value: '0614-1503' }),
        expect.objectContaining({ sheet: 'Clientes', row: 4, column: expect.stringContaining('(H)'), value: 'abc' }),
      ]),
    );
  });

  it('upsertCustomers updates what changed, reports invalid rows by index, and keeps the rest', async () => {
    const { client, token } = await clientWithTariff();
    const customers = [
      {
        code: 'C-0201',
        name: 'Uno',
        tariffCode: 'MT-H',
        lossFactor: '0.02',
        meters: [{ serial: '9100001', multiplier: '40' }],
      },
      { code: 'C-0202', name: 'Dos', nit: 'bad', meters: [] },
    ];
    const first = expectData(
      await gql<{ upsertCustomers: ImportResult }>(stack, {
        query: print(UpsertCustomersDocument),
        variables: { input: { clientId: client.globalId, customers } },
        token,
      }),
    ).upsertCustomers;
    expect(first).toMatchObject({ created: 1, metersCreated: 1 });
    expect(first.userErrors).toEqual([expect.objectContaining({ field: ['input', 'customers', '1', 'nit'] })]);
    const changed = [{ ...customers[0], lossFactor: '0.025' }];
    const second = expectData(
      await gql<{ upsertCustomers: ImportResult }>(stack, {
        query: print(UpsertCustomersDocument),
        variables: { input: { clientId: client.globalId, customers: changed } },
        token,
      }),
    ).upsertCustomers;
    expect(second).toMatchObject({ created: 0, updated: 1, unchanged: 0, userErrors: [] });
    expect(Number(second.customers[0]?.lossFactor)).toBe(0.025);
  });

  it('refuses another client’s admin and customer users', async () => {
    const { client } = await clientWithTariff();
    const other = await seed(stack).client();
    const { user } = await client.customer();
    const variables = { input: { clientId: client.globalId, contentBase64: workbook.toString('base64') } };
    expectErrorCode(
      await gql(stack, { query: print(ImportCustomerWorkbookDocument), variables, token: await other.admin.login() }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, { query: print(ImportCustomerWorkbookDocument), variables, token: await user.login() }),
      'FORBIDDEN',
    );
    expectErrorCode(
      await gql(stack, {
        query: print(UpsertCustomersDocument),
        variables: { input: { clientId: client.globalId, customers: [] } },
      }),
      'UNAUTHENTICATED',
    );
  });
});
