import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { Queue } from 'bullmq';
import { eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeUnfinishedRuns } from '../src/jobs/worker';
import { BILLING_QUEUE, customerJobIdOf, runJobIdOf } from '../src/jobs/queue';
import { billingRunChannelOf, type BillingRunProgressMessage } from '../src/runs/billing-run-events';
import { getBillingRunOrThrow, queueBillingRun, resumeBillingRun, runBilling } from '../src/runs/billing-run.service';
import { billRunCustomer, finishRun, resumeRun } from '../src/runs/billing-run.steps';
import { createPricingPool } from '../src/runs/pricing-pool';
import { constantReadings, seedBillingClient, testDatabase, type TestClient } from './support/billing-kit';
import { redisUrl, runAndWait, startRunKit, waitForRun, type RunKit } from './support/run-kit';

const PERIOD = '2025-09';
/** The compiled engine thread (`npm test` builds first). */
const ENGINE_THREAD = resolve(__dirname, '../dist/runs/engine-thread.js');
let database: ReturnType<typeof testDatabase>;
const kits: RunKit[] = [];

beforeAll(() => {
  database = testDatabase();
});
afterAll(async () => {
  for (const kit of kits) await kit.close();
  await database?.close();
});

async function kit(options: Parameters<typeof startRunKit>[1] = {}) {
  const started = await startRunKit(database, options);
  kits.push(started);
  return started;
}

/** A client with `n` customers (codes C-1..C-n), each with one meter read every slot of the period. */
async function clientWithCustomers(n: number): Promise<{ client: TestClient; customerIds: string[] }> {
  const client = await seedBillingClient(database);
  const customerIds: string[] = [];
  for (let i = 1; i <= n; i++) {
    const customer = await client.customer({ code: `C-${i}` });
    await client.readings((await client.meter(customer.id)).id, constantReadings(PERIOD, String(i)));
    customerIds.push(customer.id);
  }
  return { client, customerIds };
}

const clientGlobalId = (client: TestClient) => toGlobalId('Client', client.clientId, client.clientId);

async function invoicesOf(client: TestClient) {
  return client.system((tx) => tx.select().from(schema.invoices).where(eq(schema.invoices.clientId, client.clientId)));
}

async function outcomesOf(client: TestClient) {
  return client.system((tx) =>
    tx.select().from(schema.billingRunCustomers).where(eq(schema.billingRunCustomers.clientId, client.clientId)),
  );
}

describe('runBilling as a BullMQ flow', () => {
  it('returns at once with the run QUEUED; a worker bills each customer and closes the run', async () => {
    const idle = await kit({ worker: false });
    const { client } = await clientWithCustomers(2);
    const queued = await queueBillingRun(client.admin, { clientId: clientGlobalId(client), period: PERIOD }, idle.deps);
    expect(queued).toMatchObject({
      status: 'QUEUED',
      customersTotal: 2,
      customersDone: 0,
      customersFailed: 0,
      startedAt: null,
      finishedAt: null,
      customers: [],
    });
    expect(await invoicesOf(client)).toEqual([]);

    // One parent and one child per customer, under deterministic ids.
    const queue = new Queue(BILLING_QUEUE, { connection: { url: redisUrl() }, prefix: idle.prefix });
    try {
      const parent = await queue.getJob(runJobIdOf(queued.runId));
      expect(await parent?.getState()).toBe('waiting-children');
      expect(await parent!.getDependenciesCount()).toMatchObject({ unprocessed: 2 });
    } finally {
      await queue.close();
    }

    await idle.startWorker();
    const done = await waitForRun(client.admin, queued.id);
    expect(done).toMatchObject({ status: 'COMPLETED', customersTotal: 2, customersDone: 2, customersFailed: 0 });
    expect(done.customers.map((c) => [c.customerCode, c.status])).toEqual([
      ['C-1', 'DRAFTED'],
      ['C-2', 'DRAFTED'],
    ]);
    expect(done.startedAt).not.toBeNull();
    expect(await invoicesOf(client)).toHaveLength(2);
  });

  it('publishes progress on billing-runs:<clientId> after each customer and on every status change', async () => {
    const withEvents = await kit({ events: true });
    const { client, customerIds } = await clientWithCustomers(3);
    const subscriber = new Redis(redisUrl());
    const messages: BillingRunProgressMessage[] = [];
    subscriber.on('message', (_channel: string, raw: string) =>
      messages.push(JSON.parse(raw) as BillingRunProgressMessage),
    );
    await subscriber.subscribe(billingRunChannelOf(client.clientId));
    try {
      const run = await runAndWait(withEvents, client.admin, client.clientId, PERIOD);
      // The last event may arrive just after the run reads as finished.
      for (let i = 0; i < 100 && messages.at(-1)?.status !== 'COMPLETED'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const message of messages) {
        expect(Object.keys(message).sort()).toEqual(
          ['at', 'customerId', 'customersDone', 'customersFailed', 'customersTotal', 'runId', 'status', 'type'].sort(),
        );
        expect(message).toMatchObject({ type: 'billing-run.progress', runId: run.runId, customersTotal: 3 });
        expect(new Date(message.at).toISOString()).toBe(message.at);
      }
      expect(messages[0]).toMatchObject({ status: 'QUEUED', customersDone: 0, customerId: null });
      expect(messages.find((m) => m.status === 'RUNNING' && m.customerId === null)).toBeDefined();
      const perCustomer = messages.filter((m) => m.customerId !== null);
      expect(perCustomer.map((m) => m.customerId).sort()).toEqual([...customerIds].sort());
      expect(perCustomer.map((m) => m.customersDone).sort()).toEqual([1, 2, 3]);
      expect(messages.at(-1)).toMatchObject({
        status: 'COMPLETED',
        customersDone: 3,
        customersFailed: 0,
        customerId: null,
      });
    } finally {
      subscriber.disconnect();
    }
  });

  it('counts a customer without a tariff as failed in the events and the run', async () => {
    const withEvents = await kit({ events: true });
    const { client } = await clientWithCustomers(1);
    const orphan = await client.customer({ code: 'C-9', tariffId: null });
    await client.readings((await client.meter(orphan.id)).id, constantReadings(PERIOD, '1'));
    const run = await runAndWait(withEvents, client.admin, client.clientId, PERIOD);
    expect(run).toMatchObject({ status: 'COMPLETED_WITH_ERRORS', customersDone: 2, customersFailed: 1 });
    expect(run.counts).toMatchObject({ drafted: 1, failed: 1 });
  });

  it('resumes a run that crashed midway: billed customers are skipped, the others billed, nothing duplicated', async () => {
    const crashed = await kit({ worker: false });
    const { client, customerIds } = await clientWithCustomers(3);
    const queued = await queueBillingRun(
      client.admin,
      { clientId: clientGlobalId(client), period: PERIOD },
      crashed.deps,
    );
    // A worker billed the first customer, then the process and its Redis state were lost.
    expect(
      await billRunCustomer(crashed.deps, {
        clientId: client.clientId,
        runId: queued.runId,
        customerId: customerIds[0],
      }),
    ).toBe('DRAFTED');
    const [firstDraft] = await invoicesOf(client);
    const lost = new Queue(BILLING_QUEUE, { connection: { url: redisUrl() }, prefix: crashed.prefix });
    await lost.obliterate({ force: true });
    await lost.close();
    // The parent's view of it: a customer without outcome makes the run FAILED.
    expect(await finishRun(crashed.deps, { clientId: client.clientId, runId: queued.runId })).toBe('FAILED');
    expect((await getBillingRunOrThrow(client.admin, queued.id)).customersDone).toBe(1);

    const worker = await kit();
    const resumed = await resumeBillingRun(client.admin, queued.id, worker.deps);
    expect(['RUNNING', 'COMPLETED']).toContain(resumed.status);
    const done = await waitForRun(client.admin, queued.id);
    expect(done).toMatchObject({ status: 'COMPLETED', customersTotal: 3, customersDone: 3, customersFailed: 0 });
    expect(done.finishedAt).not.toBeNull();

    const invoices = await invoicesOf(client);
    expect(invoices).toHaveLength(3);
    // The customer billed before the crash kept its draft: it was skipped, not billed again.
    expect(invoices.find((i) => i.customerId === customerIds[0])?.id).toBe(firstDraft.id);
    expect(await outcomesOf(client)).toHaveLength(3);

    await expect(resumeBillingRun(client.admin, queued.id, worker.deps)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('leaves a run whose jobs are still queued alone: resuming never enqueues a customer twice', async () => {
    const idle = await kit({ worker: false });
    const { client, customerIds } = await clientWithCustomers(2);
    const queued = await queueBillingRun(client.admin, { clientId: clientGlobalId(client), period: PERIOD }, idle.deps);
    expect(await resumeRun(idle.deps, { clientId: client.clientId, runId: queued.runId })).toBe('IN_PROGRESS');
    // A second enqueue of the same run adds nothing: job ids are deterministic.
    await idle.deps.queue!.enqueueRun({
      clientId: client.clientId,
      runId: queued.runId,
      customerIds,
    });
    const queue = new Queue(BILLING_QUEUE, { connection: { url: redisUrl() }, prefix: idle.prefix });
    try {
      const counts = await queue.getJobCounts('waiting', 'waiting-children');
      expect(counts).toEqual({ waiting: 2, 'waiting-children': 1 });
      const childIds = (await queue.getJobs(['waiting'])).map((j) => j.id).sort();
      expect(childIds).toEqual(customerIds.map((id) => customerJobIdOf(queued.runId, id)).sort());
    } finally {
      await queue.close();
    }
    await idle.startWorker();
    expect(await waitForRun(client.admin, queued.id)).toMatchObject({ status: 'COMPLETED', customersDone: 2 });
  });

  it('resumes unfinished runs when a worker starts', async () => {
    const crashed = await kit({ worker: false });
    const { client } = await clientWithCustomers(2);
    const queued = await queueBillingRun(
      client.admin,
      { clientId: clientGlobalId(client), period: PERIOD },
      crashed.deps,
    );
    const lost = new Queue(BILLING_QUEUE, { connection: { url: redisUrl() }, prefix: crashed.prefix });
    await lost.obliterate({ force: true });
    await lost.close();

    const restarted = await kit();
    expect(await resumeUnfinishedRuns(restarted.deps, { clientId: client.clientId })).toBe(1);
    expect(await waitForRun(client.admin, queued.id)).toMatchObject({ status: 'COMPLETED', customersDone: 2 });
    expect(await invoicesOf(client)).toHaveLength(2);
  });

  it('re-running a period replaces the drafts and never duplicates, also with runs overlapping', async () => {
    const worker = await kit();
    const { client } = await clientWithCustomers(3);
    const [a, b] = await Promise.all([
      queueBillingRun(client.admin, { clientId: clientGlobalId(client), period: PERIOD }, worker.deps),
      queueBillingRun(client.admin, { clientId: clientGlobalId(client), period: PERIOD }, worker.deps),
    ]);
    await waitForRun(client.admin, a.id);
    await waitForRun(client.admin, b.id);
    const invoices = await invoicesOf(client);
    expect(invoices).toHaveLength(3);
    expect(new Set(invoices.map((i) => i.customerId)).size).toBe(3);
  });

  it.skipIf(!existsSync(ENGINE_THREAD))(
    'prices in engine threads (compiled engine) exactly as inline: same lines, totals and data quality',
    async () => {
      const pool = createPricingPool(2, ENGINE_THREAD);
      try {
        expect(pool.threads).toBe(2);
        const threaded = await kit({ pricing: pool });
        const { client } = await clientWithCustomers(3);
        const orphan = await client.customer({ code: 'C-9', tariffId: null });
        await client.readings((await client.meter(orphan.id)).id, constantReadings(PERIOD, '1'));
        const silent = await client.customer({ code: 'C-8' });
        await client.meter(silent.id);
        const run = await runAndWait(threaded, client.admin, client.clientId, PERIOD);
        expect(run.counts).toMatchObject({ drafted: 3, noReadings: 1, failed: 1 });
        const stored = await invoicesOf(client);
        const lines = await client.system((tx) =>
          tx.select().from(schema.invoiceLines).where(eq(schema.invoiceLines.clientId, client.clientId)),
        );
        // The same period billed inline replaces each draft with an identical one.
        await runAndWait(await kit(), client.admin, client.clientId, PERIOD);
        const again = await invoicesOf(client);
        const againLines = await client.system((tx) =>
          tx.select().from(schema.invoiceLines).where(eq(schema.invoiceLines.clientId, client.clientId)),
        );
        const shape = (rows: typeof stored) =>
          rows.map((i) => [i.customerId, i.subtotal, i.vat, i.total, JSON.stringify(i.dataQuality)]).sort();
        const lineShape = (rows: typeof lines) =>
          rows
            .map((l) => [
              stored.concat(again).find((i) => i.id === l.invoiceId)?.customerId,
              l.lineNo,
              l.kind,
              l.quantity,
              l.rate,
              l.amount,
              JSON.stringify(l.rateSplit),
            ])
            .map((r) => JSON.stringify(r))
            .sort();
        expect(shape(again)).toEqual(shape(stored));
        expect(lineShape(againLines)).toEqual(lineShape(lines));
        expect(lines).toHaveLength(3 * 6);
      } finally {
        await pool.close();
      }
    },
  );

  it('keeps a synchronous path for in-process callers (runBilling): the run is finished when it returns', async () => {
    const { client } = await clientWithCustomers(2);
    const run = await runBilling(client.admin, { clientId: clientGlobalId(client), period: PERIOD });
    expect(run).toMatchObject({ status: 'COMPLETED', customersTotal: 2, customersDone: 2 });
    expect(await invoicesOf(client)).toHaveLength(2);
  });
});
