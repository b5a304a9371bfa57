import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, expectErrorCode, gql, seed, startStack, type Stack } from './kit';

const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../shared/samples');
const CSV_NAME = 'Medidor 5614112 2025-09.csv';
const csv = readFileSync(resolve(SAMPLES, 'meters', CSV_NAME));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

async function upload(clientId: string, bytes: Buffer, token?: string) {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)]), CSV_NAME);
  const response = await fetch(`${stack.baseUrl}/v1/meter-readings/upload?clientId=${encodeURIComponent(clientId)}`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const UPLOAD = /* GraphQL */ `
  query GatewayUpload($id: ID!) {
    upload(id: $id) {
      id
      status
      preview {
        committable
        readings
        sources {
          serial
          match
          meter {
            id
            serial
          }
          customers {
            code
          }
        }
      }
    }
  }
`;

describe('POST /v1/meter-readings/upload through the gateway', () => {
  it('stores the file for the own client admin, previews and commits it with GraphQL, and serves Meter.readings', async () => {
    const { client, admin } = await seed(stack).client();
    const { customer } = await client.customer();
    const meterId = randomUUID();
    await asSystem(stack.database, 'test: meter of the CSV', async (tx) => {
      await tx.insert(schema.meters).values({ clientId: client.id, id: meterId, serial: '5614112', node: 'Prueba' });
      await tx.insert(schema.meterAssignments).values({
        clientId: client.id,
        meterId,
        customerId: customer.id,
        validFrom: new Date('2020-01-01T06:00:00Z'),
      });
    });
    const token = await admin.login();

    const created = await upload(client.globalId, csv, token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ outcome: 'CREATED', upload: { status: 'RECEIVED', fileName: CSV_NAME } });
    const id = (created.body.upload as { id: string }).id;

    interface UploadView {
      status: string;
      preview: { committable: boolean; readings: number; sources: unknown[] } | null;
    }
    const poll = async (): Promise<UploadView> => {
      for (let i = 0; i < 150; i++) {
        const view = expectData(
          await gql<{ upload: UploadView }>(stack, { query: UPLOAD, variables: { id }, token }),
        ).upload;
        if (['PREVIEW_READY', 'FAILED'].includes(view.status)) return view;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`upload ${id} was not parsed in time`);
    };
    const view = await poll();
    expect(view).toMatchObject({
      status: 'PREVIEW_READY',
      preview: {
        committable: true,
        readings: 2880,
        sources: [
          { serial: '5614112', match: 'MATCHED', meter: { serial: '5614112' }, customers: [{ code: customer.code }] },
        ],
      },
    });

    const committed = expectData(
      await gql<{ commitUpload: { summary: { new: number } | null; userErrors: unknown[] } }>(stack, {
        query: `mutation GatewayCommit($input: UploadIdInput!) { commitUpload(input: $input) { summary { new unchanged replaced } userErrors { message } } }`,
        variables: { input: { id } },
        token,
      }),
    ).commitUpload;
    expect(committed).toMatchObject({ summary: { new: 2880, unchanged: 0, replaced: 0 }, userErrors: [] });

    const again = await upload(client.globalId, csv, token);
    expect(again).toMatchObject({ status: 200, body: { outcome: 'DUPLICATE', upload: { id, status: 'COMMITTED' } } });

    const readings = expectData(
      await gql<{
        meter: {
          serial: string;
          readings: { totalCount: number; edges: { node: { slotStart: string; kwh: string } }[] };
        };
      }>(stack, {
        query: `query GatewayReadings($id: ID!) { meter(id: $id) { serial readings(from: "2025-09-01T06:00:00Z", to: "2025-10-01T06:00:00Z", first: 1) { totalCount edges { node { slotStart kwh } } } } }`,
        variables: { id: toGlobalId('Meter', client.id, meterId) },
        token,
      }),
    ).meter;
    expect(readings).toMatchObject({
      serial: '5614112',
      readings: { totalCount: 2880, edges: [{ node: { slotStart: '2025-09-01T06:00:00.000Z', kwh: '1.7433' } }] },
    });
  });

  it('answers 403 with a JSON body to an admin of another client, 401 anonymous, 403 to a customer user', async () => {
    const { client } = await seed(stack).client();
    const other = await seed(stack).client();
    const forbidden = await upload(client.globalId, csv, await other.admin.login());
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN', message: expect.any(String) });

    expect(await upload(client.globalId, csv)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });

    const { user } = await client.customer();
    expect(await upload(client.globalId, csv, await user.login())).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    const stored = await asSystem(stack.database, 'test: no upload stored', (tx) =>
      tx.select().from(schema.uploads).where(eq(schema.uploads.clientId, client.id)),
    );
    expect(stored).toHaveLength(0);
  });

  it('refuses the same operations through GraphQL across tenants (FORBIDDEN)', async () => {
    const { client } = await seed(stack).client();
    const other = await seed(stack).client();
    const result = await gql(stack, {
      query: `mutation GatewayCreate($input: CreateUploadInput!) { createUpload(input: $input) { outcome userErrors { message } } }`,
      variables: {
        input: { clientId: client.globalId, kind: 'METER_READINGS', fileName: 'x.csv', contentBase64: 'YQ==' },
      },
      token: await other.admin.login(),
    });
    expectErrorCode(result, 'FORBIDDEN');
  });
});
