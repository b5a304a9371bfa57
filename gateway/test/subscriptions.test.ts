import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asSystem, schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, gql, refusal, seed, startStack, subscribe, type SeededClient, type Stack } from './kit';

const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../shared/samples');
const CSV_NAME = 'Medidor 5614112 2025-09.csv';
const csv = readFileSync(resolve(SAMPLES, 'meters', CSV_NAME));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const UPLOAD_PROGRESS = /* GraphQL */ `
  subscription GatewayUploadProgress($id: ID!) {
    uploadProgress(id: $id) {
      uploadId
      stage
      status
      message
      upload {
        id
        status
        preview {
          readings
        }
      }
    }
  }
`;

const LIVE_METRICS = /* GraphQL */ `
  subscription GatewayLiveMetrics($customerId: ID!) {
    liveMetrics(customerId: $customerId) {
      customerId
      meterId
      meterSerial
      source
      uploadId
      slots
      firstSlotStart
      lastSlotStart
      lastSlotKwh
      lastSlotDemandKw
      totalKwh
    }
  }
`;

interface UploadProgressData {
  uploadProgress: {
    uploadId: string;
    stage: string;
    status: string;
    message: string | null;
    upload: { id: string; status: string; preview: { readings: number } | null };
  };
}

interface LiveMetricsData {
  liveMetrics: {
    customerId: string;
    meterId: string;
    meterSerial: string;
    source: string;
    uploadId: string | null;
    slots: number;
    firstSlotStart: string | null;
    lastSlotStart: string | null;
    lastSlotKwh: string | null;
    lastSlotDemandKw: string | null;
    totalKwh: string | null;
  };
}

/** A client whose customer has the CSV's meter 5614112 (multiplier 1.5, to see it applied). */
async function clientWithMeter() {
  const { client, admin } = await seed(stack).client();
  const { customer, user } = await client.customer();
  const meterId = randomUUID();
  await asSystem(stack.database, 'test: meter of the CSV', async (tx) => {
    await tx
      .insert(schema.meters)
      .values({ clientId: client.id, id: meterId, serial: '5614112', node: 'Prueba', multiplier: '1.5' });
    await tx.insert(schema.meterAssignments).values({
      clientId: client.id,
      meterId,
      customerId: customer.id,
      validFrom: new Date('2020-01-01T06:00:00Z'),
    });
  });
  return { client, admin, customer, user, meterId };
}

async function uploadCsv(client: SeededClient, token: string): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(csv)]), CSV_NAME);
  const response = await fetch(
    `${stack.baseUrl}/v1/meter-readings/upload?clientId=${encodeURIComponent(client.globalId)}`,
    { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form },
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { upload: { id: string } }).upload.id;
}

async function commit(uploadId: string, token: string): Promise<void> {
  const committed = expectData(
    await gql<{ commitUpload: { summary: { new: number } | null; userErrors: unknown[] } }>(stack, {
      query: `mutation SubscriptionsCommit($input: UploadIdInput!) { commitUpload(input: $input) { summary { new } userErrors { message } } }`,
      variables: { input: { id: uploadId } },
      token,
    }),
  ).commitUpload;
  expect(committed).toMatchObject({ summary: { new: 2880 }, userErrors: [] });
}

describe('subscriptions through the gateway (graphql-ws)', () => {
  it('streams an upload from its current state to COMMITTED, then completes', async () => {
    const { client, admin } = await clientWithMeter();
    const token = await admin.login();
    const uploadId = await uploadCsv(client, token);

    const progress = subscribe<UploadProgressData>(stack, {
      query: UPLOAD_PROGRESS,
      variables: { id: uploadId },
      token,
    });
    const snapshot = await progress.waitFor(() => true);
    expect(snapshot.errors).toBeUndefined();
    expect(snapshot.data?.uploadProgress).toMatchObject({ uploadId, stage: 'SNAPSHOT', upload: { id: uploadId } });
    expect(['RECEIVED', 'PARSING', 'PREVIEW_READY']).toContain(snapshot.data?.uploadProgress.status);

    const ready = await progress.waitFor((result) => result.data?.uploadProgress.status === 'PREVIEW_READY');
    expect(ready.data?.uploadProgress.upload.preview?.readings).toBe(2880);

    await commit(uploadId, token);
    const committed = await progress.waitFor((result) => result.data?.uploadProgress.stage === 'COMMITTED');
    expect(committed.data?.uploadProgress).toMatchObject({ status: 'COMMITTED', upload: { status: 'COMMITTED' } });
    const stages = progress.results.map((result) => result.data?.uploadProgress.stage);
    expect(stages.indexOf('COMMITTING')).toBeGreaterThan(0);
    expect(stages.indexOf('COMMITTING')).toBeLessThan(stages.indexOf('COMMITTED'));
    // COMMITTED is final: the server completes the subscription.
    await expect(progress.ended).resolves.toBeUndefined();
    await progress.close();
  });

  it("streams a customer's live readings: the latest stored slot per meter first, then each committed batch", async () => {
    const { client, admin, customer, user, meterId } = await clientWithMeter();
    const adminToken = await admin.login();
    const meterGlobalId = toGlobalId('Meter', client.id, meterId);
    const live = subscribe<LiveMetricsData>(stack, {
      query: LIVE_METRICS,
      variables: { customerId: customer.globalId },
      token: await user.login(),
    });
    const first = await live.waitFor(() => true);
    expect(first.errors).toBeUndefined();
    expect(first.data?.liveMetrics).toEqual({
      customerId: customer.globalId,
      meterId: meterGlobalId,
      meterSerial: '5614112',
      source: 'LATEST',
      uploadId: null,
      slots: 0,
      firstSlotStart: null,
      lastSlotStart: null,
      lastSlotKwh: null,
      lastSlotDemandKw: null,
      totalKwh: null,
    });

    const uploadId = await uploadCsv(client, adminToken);
    for (let i = 0; i < 150; i++) {
      const status = expectData(
        await gql<{ upload: { status: string } }>(stack, {
          query: `query SubscriptionsUpload($id: ID!) { upload(id: $id) { status } }`,
          variables: { id: uploadId },
          token: adminToken,
        }),
      ).upload.status;
      if (status === 'PREVIEW_READY') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await commit(uploadId, adminToken);

    const batch = await live.waitFor((result) => result.data?.liveMetrics.source === 'UPLOAD');
    const stored = await asSystem(stack.database, 'test: readings of the meter', (tx) =>
      tx.execute<{ total: string; slots: number; last_slot: Date | string; last_kwh: string }>(sql`
        select sum(kwh)::text as total, count(*)::int as slots, max(slot_start) as last_slot,
               (array_agg(kwh::text order by slot_start desc))[1] as last_kwh
          from meter_readings where client_id = ${client.id} and meter_id = ${meterId}`),
    );
    const [row] = stored;
    expect(row?.slots).toBe(2880);
    const last = { slotStart: new Date(row?.last_slot ?? 'x').toISOString(), kwh: row?.last_kwh ?? 'NaN' };
    const total = new Decimal(row?.total ?? 'NaN').times('1.5');
    const lastKwh = new Decimal(last.kwh).times('1.5');
    expect(batch.data?.liveMetrics).toMatchObject({
      customerId: customer.globalId,
      meterId: meterGlobalId,
      source: 'UPLOAD',
      uploadId,
      slots: 2880,
      firstSlotStart: '2025-09-01T06:00:00.000Z',
      lastSlotStart: last.slotStart,
    });
    expect(new Decimal(batch.data?.liveMetrics.totalKwh ?? 'NaN').equals(total)).toBe(true);
    expect(new Decimal(batch.data?.liveMetrics.lastSlotKwh ?? 'NaN').equals(lastKwh)).toBe(true);
    expect(new Decimal(batch.data?.liveMetrics.lastSlotDemandKw ?? 'NaN').equals(lastKwh.times(4))).toBe(true);
    await live.close();

    // A new subscriber starts from what is stored now.
    const again = subscribe<LiveMetricsData>(stack, {
      query: LIVE_METRICS,
      variables: { customerId: customer.globalId },
      token: adminToken,
    });
    const latest = await again.waitFor(() => true);
    expect(latest.data?.liveMetrics).toMatchObject({
      source: 'LATEST',
      slots: 1,
      uploadId,
      lastSlotStart: last.slotStart,
    });
    expect(new Decimal(latest.data?.liveMetrics.lastSlotKwh ?? 'NaN').equals(lastKwh)).toBe(true);
    await again.close();
  });

  it("refuses another customer's metrics to a customer user, another client's data to an admin, and anonymous callers", async () => {
    const { client, customer, meterId } = await clientWithMeter();
    const { user: neighbour } = await client.customer();
    const other = await seed(stack).client();
    const otherToken = await other.admin.login();

    const asNeighbour = await refusal(
      subscribe(stack, {
        query: LIVE_METRICS,
        variables: { customerId: customer.globalId },
        token: await neighbour.login(),
      }),
    );
    expect(asNeighbour.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

    const asOtherAdmin = await refusal(
      subscribe(stack, { query: LIVE_METRICS, variables: { customerId: customer.globalId }, token: otherToken }),
    );
    expect(asOtherAdmin.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

    const anonymous = await refusal(
      subscribe(stack, { query: LIVE_METRICS, variables: { customerId: customer.globalId } }),
    );
    expect(anonymous.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    // A made-up customer of the caller's own client: NOT_FOUND; a customer id of another type: refused too.
    const madeUp = await refusal(
      subscribe(stack, {
        query: LIVE_METRICS,
        variables: { customerId: toGlobalId('Customer', other.client.id, randomUUID()) },
        token: otherToken,
      }),
    );
    expect(madeUp.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    const meterAsCustomer = await refusal(
      subscribe(stack, {
        query: LIVE_METRICS,
        variables: { customerId: toGlobalId('Meter', client.id, meterId) },
        token: otherToken,
      }),
    );
    expect(meterAsCustomer).toHaveLength(1);
    expect(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND']).toContain(meterAsCustomer[0]?.extensions?.code);
  });

  it("refuses upload progress without the scope (customer user) and another client's upload (admin)", async () => {
    const { client, admin, user } = await clientWithMeter();
    const uploadId = await uploadCsv(client, await admin.login());
    const other = await seed(stack).client();

    const asCustomer = await refusal(
      subscribe(stack, { query: UPLOAD_PROGRESS, variables: { id: uploadId }, token: await user.login() }),
    );
    expect(asCustomer).toMatchObject([{ extensions: { code: 'FORBIDDEN' } }]);
    expect(asCustomer[0]?.message).toContain('Subscription.uploadProgress');

    const asOtherAdmin = await refusal(
      subscribe(stack, { query: UPLOAD_PROGRESS, variables: { id: uploadId }, token: await other.admin.login() }),
    );
    expect(asOtherAdmin.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('validates like HTTP: unknown fields, queries over WebSocket and forged tokens are refused', async () => {
    const { admin } = await seed(stack).client();
    const token = await admin.login();
    const unknownField = await refusal(
      subscribe(stack, { query: `subscription { uploadProgress(id: "x") { nope } }`, token }),
    );
    expect(unknownField[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(unknownField[0]?.message).toContain('nope');

    const query = await refusal(subscribe(stack, { query: `query { __typename }`, token }));
    expect(query).toMatchObject([{ extensions: { code: 'BAD_REQUEST' } }]);

    const forged = await refusal(
      subscribe(stack, { query: UPLOAD_PROGRESS, variables: { id: 'x' }, token: `${token.slice(0, -4)}AAAA` }),
    );
    expect(forged.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});
