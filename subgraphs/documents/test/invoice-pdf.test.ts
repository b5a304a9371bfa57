import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBillingClient, testDatabase, type TestClient } from '../../billing/test/support/billing-kit';
import { dailyMaxDemand } from '../src/invoices/invoice-document.repository';
import { renderInvoiceDocument } from '../src/jobs/render-invoice-document.job';
import { renderPendingInvoices } from '../src/jobs/render-pending-invoices.job';
import { getInvoiceDocumentOrThrow, pdfUrlOf, regenerateInvoicePdf } from '../src/invoices/invoice-document.service';
import { PdfRenderer } from '../src/pdf/pdf-renderer';
import { startAzurite, type RunningAzurite } from '@ciro/subgraph-common';
import { InvoiceBlobStore } from '../src/storage/invoice-blob-store';
import { issueSeptemberInvoices } from './support/c0001-september';

const ARTIFACTS = resolve(__dirname, '../../../.artifacts');
const azuriteDir = mkdtempSync(join(tmpdir(), 'azurite-docs-'));
const workDir = mkdtempSync(join(tmpdir(), 'invoice-pdf-'));

let database: ReturnType<typeof testDatabase>;
let client: TestClient;
let azurite: RunningAzurite;
let storage: InvoiceBlobStore;
const renderer = new PdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
let invoiceIds: Map<string, string>;
let c0002User: ReturnType<TestClient['customerUser']>;
let c0001User: ReturnType<TestClient['customerUser']>;
let pdf: Buffer;
let text: string;
let renderMs: number;

const globalId = (code: string) => toGlobalId('Invoice', client.clientId, invoiceIds.get(code)!);

beforeAll(async () => {
  database = testDatabase();
  azurite = await startAzurite({ location: azuriteDir, port: 0 });
  storage = new InvoiceBlobStore(azurite.connectionString);
  client = await seedBillingClient(database);
  const issued = await issueSeptemberInvoices(client);
  invoiceIds = issued.invoiceIds;
  c0001User = client.customerUser(issued.customers.get('C-0001')!);
  c0002User = client.customerUser(issued.customers.get('C-0002')!);
  const started = performance.now();
  const result = await renderInvoiceDocument(database, storage, renderer, {
    clientId: client.clientId,
    invoiceId: invoiceIds.get('C-0001')!,
  });
  renderMs = performance.now() - started;
  expect(result).toMatchObject({ status: 'READY', error: null });
  const invoice = await getInvoiceDocumentOrThrow(client.admin, globalId('C-0001'));
  const response = await fetch((await pdfUrlOf(invoice, storage, 60))!);
  expect(response.status).toBe(200);
  pdf = Buffer.from(await response.arrayBuffer());
  writeFileSync(join(workDir, 'invoice.pdf'), pdf);
  text = execFileSync('pdftotext', ['-layout', join(workDir, 'invoice.pdf'), '-'], { encoding: 'utf8' });
}, 180_000);

afterAll(async () => {
  await renderer.close();
  await azurite?.stop();
  await database?.close();
  rmSync(azuriteDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe('the September 2025 invoice of C-0001 as a PDF', () => {
  it('prints the number, the customer NIT, each line amount and the total as BILLING.md §7 has them', async () => {
    const [row] = await client.system((tx) =>
      tx
        .select({ number: schema.invoices.number, nit: schema.customers.nit })
        .from(schema.invoices)
        .innerJoin(schema.customers, eq(schema.customers.id, schema.invoices.customerId))
        .where(and(eq(schema.invoices.clientId, client.clientId), eq(schema.invoices.id, invoiceIds.get('C-0001')!))),
    );
    expect(row.number).toMatch(/^E.*-\d{4}-000001$/);
    expect(text).toContain(row.number!);
    expect(row.nit).toBeTruthy();
    expect(text).toContain(row.nit!);
    for (const amount of ['26,589.64', '72,158.67', '27,341.29', '13,871.28', '2,963.11', '3,087.66', '1,564.34']) {
      expect(text, amount).toContain(amount);
    }
    expect(text).toMatch(/Subtotal\s+147,575\.99/);
    expect(text).toMatch(/IVA 13 %\s+19,184\.88/);
    expect(text).toMatch(/Total USD\s+166,760\.87/);
    expect(text.replace(/\s+/g, ' ')).toContain('CIENTO SESENTA Y SEIS MIL SETECIENTOS SESENTA 87/100 DÓLARES');
    expect(text).toContain('5614086');
  });

  it('is two A4 pages, numbered in the footer, and page 1 is kept as a PNG for people to look at', () => {
    const info = execFileSync('pdfinfo', [join(workDir, 'invoice.pdf')], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    // Page 1: header, parties, lines, totals, chart; page 2: data quality and payment instructions.
    expect(pages).toBe(2);
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(text).toContain(`Página 1 de ${pages}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '110',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(workDir, 'invoice.pdf'),
      join(ARTIFACTS, 'invoice-C-0001-2025-09-page1'),
    ]);
    writeFileSync(join(ARTIFACTS, 'invoice-C-0001-2025-09.pdf'), pdf);
    console.info(
      `invoice PDF: ${pdf.length} bytes, ${pages} page(s), rendered and stored in ${renderMs.toFixed(0)} ms`,
    );
  });

  it('draws the daily maximum demand curve from the readings: 30 days, peaking at the DEMAND line on 8 September', async () => {
    const days = await client.system((tx) =>
      dailyMaxDemand(tx, client.clientId, c0001User.identity.customerId!, '2025-09', 'America/El_Salvador'),
    );
    expect(days).toHaveLength(30);
    const peak = days.reduce((a, b) => (b.maxKw > a.maxKw ? b : a));
    expect(peak).toEqual({ day: '2025-09-08', maxKw: 1404.6864 });
    expect(text).toContain('Demanda máxima diaria (kW)');
  });

  it('records READY and the deterministic blob key; regenerating replaces the same blob', async () => {
    const before = await getInvoiceDocumentOrThrow(client.admin, globalId('C-0001'));
    expect(before).toMatchObject({
      pdfStatus: 'READY',
      pdfError: null,
      pdfBlobKey: `invoices/${invoiceIds.get('C-0001')}.pdf`,
    });
    const after = await regenerateInvoicePdf(client.admin, globalId('C-0001'), storage, renderer);
    expect(after.pdfBlobKey).toBe(before.pdfBlobKey);
    expect(after.pdfStatus).toBe('READY');
  });

  it('lets C-0001’s own customer user read its pdfUrl', async () => {
    const own = await getInvoiceDocumentOrThrow(c0001User, globalId('C-0001'));
    expect(await pdfUrlOf(own, storage, 60)).toMatch(/sig=/);
  });

  it('refuses a customer user of C-0002 with FORBIDDEN before any link is minted', async () => {
    await expect(getInvoiceDocumentOrThrow(c0002User, globalId('C-0001'))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('answers NOT_FOUND to an admin for a made-up id and FORBIDDEN to a customer user (no hint it exists)', async () => {
    const forged = toGlobalId('Invoice', client.clientId, '00000000-0000-4000-8000-000000000000');
    await expect(getInvoiceDocumentOrThrow(client.admin, forged)).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(getInvoiceDocumentOrThrow(c0002User, forged)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('lets only administrators regenerate', async () => {
    await expect(regenerateInvoicePdf(c0001User, globalId('C-0001'), storage, renderer)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('refuses another client’s admin with FORBIDDEN', async () => {
    const other = await seedBillingClient(database);
    await expect(getInvoiceDocumentOrThrow(other.admin, globalId('C-0001'))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('an expired link to the stored PDF is refused by Azurite', async () => {
    const invoice = await getInvoiceDocumentOrThrow(client.admin, globalId('C-0001'));
    const expired = await storage.readUrl(client.clientId, invoice.pdfBlobKey!, -1);
    expect((await fetch(expired)).status).toBe(403);
  });

  it('renders the issued invoices still without a PDF (C-0002) and leaves the rendered ones alone', async () => {
    expect((await getInvoiceDocumentOrThrow(client.admin, globalId('C-0002'))).pdfStatus).toBe('PENDING');
    const results = await renderPendingInvoices(database, storage, renderer, { clientId: client.clientId });
    expect(results.map((r) => [r.status, r.blobKey])).toEqual([['READY', `invoices/${invoiceIds.get('C-0002')}.pdf`]]);
    expect((await getInvoiceDocumentOrThrow(client.admin, globalId('C-0002'))).pdfStatus).toBe('READY');
    expect(await renderPendingInvoices(database, storage, renderer, { clientId: client.clientId })).toEqual([]);
  });

  it('records FAILED with the reason when rendering fails', async () => {
    const broken = new PdfRenderer({ executablePath: '/nonexistent/chromium', timeoutMs: 5_000 });
    const result = await renderInvoiceDocument(database, storage, broken, {
      clientId: client.clientId,
      invoiceId: invoiceIds.get('C-0002')!,
    });
    expect(result.status).toBe('FAILED');
    const state = await getInvoiceDocumentOrThrow(client.admin, globalId('C-0002'));
    expect(state.pdfStatus).toBe('FAILED');
    expect(state.pdfError).toBeTruthy();
    expect(await pdfUrlOf(state, storage, 60)).toBeNull();
  });
});
