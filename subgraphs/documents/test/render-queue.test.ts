import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schema } from '@ciro/db';
import {
  RENDER_JOB_OPTIONS,
  configureRenderQueue,
  createRenderQueue,
  toGlobalId,
  type RenderQueue,
} from '@ciro/subgraph-common';
import { and, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedBillingClient, testDatabase, type TestClient } from '../../billing/test/support/billing-kit';
import type { DocumentsContext } from '../src/context';
import { createBillingRunDocumentsEvents } from '../src/events/billing-run-documents.events';
import { getInvoiceDocumentOrThrow, regenerateInvoicePdf } from '../src/invoices/invoice-document.service';
import { RenderAttemptError } from '../src/jobs/render-invoice-document.job';
import { enqueuePendingInvoices } from '../src/jobs/render-pending-invoices.job';
import { processRenderJob, startRenderWorker, type RunningRenderWorker } from '../src/jobs/render-worker';
import { PdfRenderer } from '../src/pdf/pdf-renderer';
import { resolveBillingRunDocumentsReference } from '../src/runs/billing-run-documents.reference';
import { startAzurite, type RunningAzurite } from '@ciro/subgraph-common';
import { InvoiceBlobStore } from '../src/storage/invoice-blob-store';
import { issueSeptemberInvoices } from './support/c0001-september';

const redisUrl = inject('redisUrl');
// Its own BullMQ prefix: no other test file's worker sees these jobs.
const prefix = `test-docs-${randomBytes(4).toString('hex')}`;
const azuriteDir = mkdtempSync(join(tmpdir(), 'azurite-render-queue-'));

let database: ReturnType<typeof testDatabase>;
let azurite: RunningAzurite;
let storage: InvoiceBlobStore;
const renderer = new PdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
let publisher: Redis;
let subscriber: Redis;
let worker: RunningRenderWorker;
let queue: RenderQueue;
const messages: { channel: string; message: Record<string, unknown> }[] = [];

let client: TestClient;
let invoiceId: string;
let runId: string;
const invoiceGlobalId = () => toGlobalId('Invoice', client.clientId, invoiceId);

async function until<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const pdfStatusOf = async (c: TestClient, id: string): Promise<string> =>
  (await getInvoiceDocumentOrThrow(c.admin, toGlobalId('Invoice', c.clientId, id))).pdfStatus;

async function runOf(c: TestClient, id: string): Promise<string> {
  const [row] = await c.system((tx) =>
    tx
      .select({ runId: schema.invoices.billingRunId })
      .from(schema.invoices)
      .where(and(eq(schema.invoices.clientId, c.clientId), eq(schema.invoices.id, id))),
  );
  return row.runId!;
}

beforeAll(async () => {
  database = testDatabase();
  azurite = await startAzurite({ location: azuriteDir, port: 0 });
  storage = new InvoiceBlobStore(azurite.connectionString);
  publisher = new Redis(redisUrl);
  subscriber = new Redis(redisUrl);
  subscriber.on('pmessage', (_pattern, channel, message) =>
    messages.push({ channel, message: JSON.parse(message) as Record<string, unknown> }),
  );
  await subscriber.psubscribe('billing-runs:*');
  worker = await startRenderWorker({
    queue: { redisUrl, prefix },
    concurrency: 2,
    database,
    storage,
    renderer,
    events: createBillingRunDocumentsEvents(publisher),
    logger: (await import('@ciro/subgraph-common')).createLogger('test', 'silent'),
  });
  queue = createRenderQueue({ redisUrl, prefix });
  // billing's issueInvoices publishes "invoices issued" on this queue.
  await configureRenderQueue({ redisUrl, prefix });
  client = await seedBillingClient(database);
  const issued = await issueSeptemberInvoices(client, ['C-0001']);
  invoiceId = issued.invoiceIds.get('C-0001')!;
  runId = await runOf(client, invoiceId);
}, 180_000);

afterAll(async () => {
  await configureRenderQueue(null);
  await worker?.close();
  await queue?.close();
  await subscriber?.quit();
  await publisher?.quit();
  await renderer.close();
  await azurite?.stop();
  await database?.close();
  rmSync(azuriteDir, { recursive: true, force: true });
});

describe('invoices issued → PDFs through the render queue', () => {
  it('renders the issued invoice without any sweep: PENDING becomes READY under its deterministic key', async () => {
    await until('READY', async () => (await pdfStatusOf(client, invoiceId)) === 'READY');
    const invoice = await getInvoiceDocumentOrThrow(client.admin, invoiceGlobalId());
    expect(invoice).toMatchObject({ pdfStatus: 'READY', pdfError: null, pdfBlobKey: `invoices/${invoiceId}.pdf` });
    const blob = await fetch(await storage.readUrl(client.clientId, invoice.pdfBlobKey!, 60));
    expect(
      Buffer.from(await blob.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  }, 90_000);

  it('announces the render on billing-runs:<clientId> with the run id, in the shape billingRunProgress reads', async () => {
    const event = await until('a billing-run.documents message', () =>
      messages.find((m) => m.channel === `billing-runs:${client.clientId}` && m.message.invoiceId === invoiceId),
    );
    expect(Object.keys(event.message).sort()).toEqual(['at', 'invoiceId', 'pdfStatus', 'runId', 'type']);
    expect(event.message).toMatchObject({ type: 'billing-run.documents', runId, invoiceId, pdfStatus: 'READY' });
    expect(new Date(event.message.at as string).toISOString()).toBe(event.message.at);
  });

  it('counts the run’s documents: 1 issued, 1 ready', async () => {
    const context = { ...client.admin, authError: null } as unknown as DocumentsContext;
    const run = await resolveBillingRunDocumentsReference(
      { id: toGlobalId('BillingRun', client.clientId, runId) },
      context,
    );
    expect(run).toMatchObject({ documentsTotal: 1, documentsReady: 1, documentsFailed: 0, documentsPending: 0 });
  });

  it('stored the DTE JSON of the issued invoice (Crédito Fiscal, totals of BILLING.md §7)', async () => {
    const [row] = await client.system((tx) =>
      tx
        .select({ dte: schema.invoices.dteJson, sequence: schema.invoices.sequence })
        .from(schema.invoices)
        .where(and(eq(schema.invoices.clientId, client.clientId), eq(schema.invoices.id, invoiceId))),
    );
    const dte = row.dte as {
      identificacion: Record<string, unknown>;
      resumen: Record<string, unknown>;
      cuerpoDocumento: unknown[];
      receptor: Record<string, unknown>;
    };
    expect(dte.identificacion).toMatchObject({ tipoDte: '03', ambiente: '00', tipoMoneda: 'USD' });
    expect(dte.identificacion.numeroControl).toBe(`DTE-03-M001P001-${String(row.sequence).padStart(15, '0')}`);
    expect(dte.identificacion.codigoGeneracion).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
    );
    expect(dte.receptor).toMatchObject({ nit: '06141503961023', nrc: '876542' });
    expect(dte.cuerpoDocumento).toHaveLength(7);
    expect(dte.resumen).toMatchObject({
      totalGravada: '147575.99',
      subTotal: '147575.99',
      tributos: [{ codigo: '20', descripcion: 'Impuesto al Valor Agregado 13%', valor: '19184.88' }],
      montoTotalOperacion: '166760.87',
      totalPagar: '166760.87',
      totalLetras: 'CIENTO SESENTA Y SEIS MIL SETECIENTOS SESENTA 87/100 DÓLARES',
    });
  });

  it('regenerateInvoicePdf queues a forced render: PENDING, then READY again under the same blob key, announced', async () => {
    const before = messages.filter((m) => m.message.invoiceId === invoiceId).length;
    const queued = await regenerateInvoicePdf(client.admin, invoiceGlobalId(), storage, renderer, { queue });
    expect(queued.pdfStatus).toBe('PENDING');
    await until('READY again', async () => (await pdfStatusOf(client, invoiceId)) === 'READY');
    await until('a second message', () => messages.filter((m) => m.message.invoiceId === invoiceId).length > before);
    const after = await getInvoiceDocumentOrThrow(client.admin, invoiceGlobalId());
    expect(after.pdfBlobKey).toBe(`invoices/${invoiceId}.pdf`);
  }, 90_000);

  it('a render that fails is retried (PENDING meanwhile) and the last attempt records FAILED with the reason', async () => {
    const broken = new PdfRenderer({ executablePath: '/nonexistent/chromium', timeoutMs: 5_000 });
    const deps = {
      database,
      storage,
      renderer: broken,
      events: createBillingRunDocumentsEvents(publisher),
      logger: (await import('@ciro/subgraph-common')).createLogger('test', 'silent'),
    };
    const data = { clientId: client.clientId, invoiceId, billingRunId: runId, force: true };
    const attempts = RENDER_JOB_OPTIONS.attempts!;
    expect(attempts).toBe(3);
    await expect(processRenderJob(deps, { id: 'x', data, attemptsMade: 0, opts: { attempts } })).rejects.toBeInstanceOf(
      RenderAttemptError,
    );
    const meanwhile = await getInvoiceDocumentOrThrow(client.admin, invoiceGlobalId());
    expect(meanwhile.pdfStatus).toBe('PENDING');
    expect(meanwhile.pdfError).toBeTruthy();
    await expect(
      processRenderJob(deps, { id: 'x', data, attemptsMade: attempts - 1, opts: { attempts } }),
    ).rejects.toThrow(/PDF render failed/);
    const failed = await getInvoiceDocumentOrThrow(client.admin, invoiceGlobalId());
    expect(failed.pdfStatus).toBe('FAILED');
    expect(failed.pdfError).toMatch(/chromium|executable|ENOENT|spawn/i);
    await until('a FAILED message', () =>
      messages.find((m) => m.message.invoiceId === invoiceId && m.message.pdfStatus === 'FAILED'),
    );
    const context = { ...client.admin, authError: null } as unknown as DocumentsContext;
    const run = await resolveBillingRunDocumentsReference(
      { id: toGlobalId('BillingRun', client.clientId, runId) },
      context,
    );
    expect(run).toMatchObject({ documentsTotal: 1, documentsReady: 0, documentsFailed: 1, documentsPending: 0 });
    // Put it back for what follows.
    await regenerateInvoicePdf(client.admin, invoiceGlobalId(), storage, renderer, { queue });
    await until('READY after FAILED', async () => (await pdfStatusOf(client, invoiceId)) === 'READY');
  }, 90_000);

  it('refuses the run’s document counts to another client’s admin (FORBIDDEN) and to a made-up run (NOT_FOUND)', async () => {
    const other = await seedBillingClient(database);
    const otherContext = { ...other.admin, authError: null } as unknown as DocumentsContext;
    await expect(
      resolveBillingRunDocumentsReference({ id: toGlobalId('BillingRun', client.clientId, runId) }, otherContext),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const context = { ...client.admin, authError: null } as unknown as DocumentsContext;
    await expect(
      resolveBillingRunDocumentsReference(
        { id: toGlobalId('BillingRun', client.clientId, '00000000-0000-4000-8000-000000000000') },
        context,
      ),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});

describe('Redis down while issuing', () => {
  it('issues anyway; the invoice stays PENDING until the sweep puts it on the queue', async () => {
    await configureRenderQueue({ redisUrl: 'redis://127.0.0.1:1', prefix, timeoutMs: 1000 });
    const down = await seedBillingClient(database);
    const started = Date.now();
    const issued = await issueSeptemberInvoices(down, ['C-0002']);
    const id = issued.invoiceIds.get('C-0002')!;
    expect(id).toBeTruthy();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await pdfStatusOf(down, id)).toBe('PENDING');
    console.info(`issuing with Redis unreachable took ${Date.now() - started} ms (seed, billing run and issue)`);
    expect(await enqueuePendingInvoices(database, queue, { clientId: down.clientId })).toBe(1);
    await until('READY from the sweep', async () => (await pdfStatusOf(down, id)) === 'READY');
    await configureRenderQueue({ redisUrl, prefix });
  }, 180_000);
});
