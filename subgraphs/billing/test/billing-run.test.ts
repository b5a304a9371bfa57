import { schema } from '@ciro/db';
import { toGlobalId } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdjustment } from '../src/adjustments/adjustment.service';
import { computeInvoiceDraftOrThrow } from '../src/engine';
import { createCreditNote } from '../src/invoices/credit-note.service';
import { issueInvoices, voidInvoice } from '../src/invoices/invoice-issue.service';
import { addDays, localDate } from '../src/invoices/invoice.mapper';
import {
  getBillingSummary,
  getInvoiceOrThrow,
  listCustomerInvoices,
  listInvoices,
} from '../src/invoices/invoice.service';
import { recordPayment } from '../src/payments/payment.service';
import { getBillingRunOrThrow } from '../src/runs/billing-run.service';
import {
  constantReadings,
  sampleTariff,
  seedBillingClient,
  testDatabase,
  ZONE,
  type TestClient,
} from './support/billing-kit';
import { runAndWait, startRunKit, type RunKit } from './support/run-kit';

const PERIOD = '2025-09';
let database: ReturnType<typeof testDatabase>;
let kit: RunKit;

beforeAll(async () => {
  database = testDatabase();
  kit = await startRunKit(database);
});
afterAll(async () => {
  await kit?.close();
  await database?.close();
});

async function clientWithOneMeteredCustomer(kwh = '1.5') {
  const client = await seedBillingClient(database);
  const customer = await client.customer({ lossFactor: '0.0235', deviationTolerance: null, paymentTermsDays: 15 });
  const meter = await client.meter(customer.id, { multiplier: '40' });
  await client.readings(meter.id, constantReadings(PERIOD, kwh));
  return { client, customer, meter };
}

/** Queues a run through the BullMQ flow and waits for its final status. */
const run = (client: TestClient) => runAndWait(kit, client.admin, client.clientId, PERIOD);

async function invoiceRows(client: TestClient) {
  return client.system((tx) => tx.select().from(schema.invoices).where(eq(schema.invoices.clientId, client.clientId)));
}

describe('runBilling', () => {
  it('writes one draft per customer with the engine’s lines, rate split and data quality', async () => {
    const { client, customer, meter } = await clientWithOneMeteredCustomer();
    const result = await run(client);
    expect(result).toMatchObject({
      period: PERIOD,
      status: 'COMPLETED',
      progress: 1,
      total: 1,
      customersTotal: 1,
      customersDone: 1,
      customersFailed: 0,
    });
    expect(result.counts).toEqual({
      drafted: 1,
      noReadings: 0,
      alreadyIssued: 0,
      negativeTotal: 0,
      failed: 0,
      withMissingSlots: 0,
      withMissingForecastHours: 0,
    });
    expect(result.startedAt!.getTime()).toBeGreaterThanOrEqual(result.createdAt.getTime());
    expect(result.finishedAt!.getTime()).toBeGreaterThanOrEqual(result.startedAt!.getTime());
    const [outcome] = result.customers;
    expect(outcome).toMatchObject({
      customerCode: customer.code,
      status: 'DRAFTED',
      expectedSlots: 2880,
      missingSlots: 0,
    });

    const invoice = await getInvoiceOrThrow(client.admin, outcome.invoiceId!);
    const expected = computeInvoiceDraftOrThrow({
      customer: { code: customer.code, lossFactor: '0.0235', discount: '0', deviationTolerance: null },
      meters: [
        {
          id: meter.id,
          multiplier: '40',
          assignments: [{ from: new Date('2020-01-01T06:00:00Z'), to: null }],
          readings: constantReadings(PERIOD, '1.5'),
        },
      ],
      tariff: sampleTariff(),
      period: PERIOD,
      zone: ZONE,
      vatRate: '0.13',
    });
    expect(invoice.status).toBe('DRAFT');
    expect(invoice.number).toBeNull();
    expect(invoice.lines.map((l) => [l.kind, l.amount.toFixed(2)])).toEqual(
      expected.lines.map((l) => [l.kind, l.amount.toFixed(2)]),
    );
    expect([invoice.subtotal, invoice.vat, invoice.total].map((d) => d.toFixed(2))).toEqual(
      [expected.subtotal, expected.vat, expected.total].map((d) => d.toFixed(2)),
    );
    expect(invoice.dataQuality).toMatchObject({
      expectedSlots: 2880,
      presentSlots: 2880,
      missingSlots: 0,
      missingRanges: [],
    });
    expect(invoice.dataQuality?.maxDemandAt).toBe('2025-09-01T00:00:00');
    expect(invoice.lines.find((l) => l.kind === 'DEMAND')?.rate?.toFixed(6)).toBe('9.875000');
  });

  it('is idempotent: a second run replaces the draft with the same one and never duplicates', async () => {
    const { client } = await clientWithOneMeteredCustomer();
    const first = await run(client);
    const before = await getInvoiceOrThrow(client.admin, first.customers[0].invoiceId!);
    const second = await run(client);
    const after = await getInvoiceOrThrow(client.admin, second.customers[0].invoiceId!);
    expect(await invoiceRows(client)).toHaveLength(1);
    const shape = (i: typeof before) => ({
      lines: i.lines.map((l) => [l.kind, l.quantity?.toFixed(), l.amount.toFixed(2)]),
      total: i.total.toFixed(2),
    });
    expect(shape(after)).toEqual(shape(before));
    // The first run still tells what it did, the draft now belongs to the second.
    expect((await getBillingRunOrThrow(client.admin, first.id)).customers[0]?.status).toBe('DRAFTED');
  });

  it('lists a customer without any reading and gives it no invoice; reports missing slots of a partial meter', async () => {
    const { client } = await clientWithOneMeteredCustomer();
    const silent = await client.customer({ code: 'Z-SILENT' });
    await client.meter(silent.id);
    const partial = await client.customer({ code: 'A-PARTIAL' });
    const meter = await client.meter(partial.id);
    const all = constantReadings(PERIOD, '2');
    await client.readings(meter.id, [...all.slice(0, 100), ...all.slice(104)]);
    const result = await run(client);
    expect(result.counts).toMatchObject({ drafted: 2, noReadings: 1 });
    expect(result.customers.map((c) => [c.customerCode, c.status, c.missingSlots])).toEqual(
      expect.arrayContaining([
        ['Z-SILENT', 'NO_READINGS', 2880],
        ['A-PARTIAL', 'DRAFTED', 4],
      ]),
    );
    expect((await invoiceRows(client)).filter((r) => r.customerId === silent.id)).toEqual([]);
    const draft = await getInvoiceOrThrow(
      client.admin,
      result.customers.find((c) => c.customerCode === 'A-PARTIAL')!.invoiceId!,
    );
    expect(draft.dataQuality?.missingRanges).toHaveLength(1);
    expect(draft.dataQuality?.missingRanges[0]?.to.getTime()).toBe(all[104].slotStart.getTime());
  });

  it('reports a customer without a tariff as FAILED and completes the others', async () => {
    const { client } = await clientWithOneMeteredCustomer();
    const orphan = await client.customer({ code: 'B-NO-TARIFF', tariffId: null });
    await client.readings((await client.meter(orphan.id)).id, constantReadings(PERIOD, '1'));
    const result = await run(client);
    expect(result.status).toBe('COMPLETED_WITH_ERRORS');
    expect(result.customers.find((c) => c.customerCode === 'B-NO-TARIFF')).toMatchObject({
      status: 'FAILED',
      message: expect.stringMatching(/tariff/),
    });
  });
});

describe('issueInvoices and after', () => {
  it('numbers gap-free per client and year, sets due dates from payment terms, then leaves issued invoices alone', async () => {
    const client = await seedBillingClient(database);
    for (const code of ['C-2', 'C-1', 'C-3']) {
      const customer = await client.customer({ code, paymentTermsDays: 30 });
      await client.readings((await client.meter(customer.id)).id, constantReadings(PERIOD, '1'));
    }
    const first = await run(client);
    const issued = await issueInvoices(client.admin, { runId: first.id });
    const year = Number(localDate(new Date(), ZONE).slice(0, 4));
    expect(issued.map((i) => i.number)).toEqual([1, 2, 3].map((n) => `${client.code}-${year}-00000${n}`));
    expect(issued.map((i) => [i.status, i.issuedAt !== null])).toEqual([1, 2, 3].map(() => ['ISSUED', true]));
    const issueDate = issued[0].issuedAt!;
    const due = addDays(localDate(issueDate, ZONE), 30);
    expect(issued[0].dueDate).toBe(due);

    const again = await run(client);
    expect(again.counts).toMatchObject({ alreadyIssued: 3, drafted: 0 });
    expect(await invoiceRows(client)).toHaveLength(3);

    // A later issue continues the sequence.
    const late = await client.customer({ code: 'C-4' });
    await client.readings((await client.meter(late.id)).id, constantReadings(PERIOD, '1'));
    const third = await run(client);
    const more = await issueInvoices(client.admin, { runId: third.id });
    expect(more.map((i) => i.number)).toEqual([`${client.code}-${year}-000004`]);
    await expect(issueInvoices(client.admin, { runId: third.id })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('concurrent issuers of two runs of one client never share or skip a number', async () => {
    const a = await seedBillingClient(database);
    const runs = [];
    for (const period of ['2025-08', '2025-09']) {
      const customer = await a.customer();
      await a.readings((await a.meter(customer.id)).id, constantReadings(period, '1'));
      runs.push(await runAndWait(kit, a.admin, a.clientId, period));
    }
    const results = await Promise.all(runs.map((r) => issueInvoices(a.admin, { runId: r.id })));
    const numbers = results.flat().map((i) => Number(i.number!.slice(-6)));
    expect(numbers.sort()).toEqual([1, 2]);
  });

  it('records partial and full payments, refuses overpayment, and summarises the period', async () => {
    const { client } = await clientWithOneMeteredCustomer('1');
    const [invoice] = await issueInvoices(client.admin, { runId: (await run(client)).id });
    const total = invoice.total;
    const part = await recordPayment(client.admin, {
      invoiceId: invoice.id,
      amount: new Decimal('100.00'),
      paidAt: new Date(),
    });
    expect(part.invoice).toMatchObject({ status: 'PARTIALLY_PAID' });
    expect(part.invoice.balance.toFixed(2)).toBe(total.minus(100).toFixed(2));
    await expect(
      recordPayment(client.admin, { invoiceId: invoice.id, amount: total, paidAt: new Date() }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'amount' } });
    const summaryBefore = await getBillingSummary(client.admin, client.clientId, PERIOD);
    expect(summaryBefore).toMatchObject({ invoiceCount: 1 });
    expect(summaryBefore.collected.toFixed(2)).toBe('100.00');
    const rest = await recordPayment(client.admin, {
      invoiceId: invoice.id,
      amount: total.minus(100),
      paidAt: new Date(),
      method: 'TRANSFER',
    });
    expect(rest.invoice).toMatchObject({ status: 'PAID' });
    expect(rest.invoice.balance.toFixed(2)).toBe('0.00');
    const summary = await getBillingSummary(client.admin, client.clientId, PERIOD);
    expect([summary.billed, summary.collected, summary.outstanding, summary.overdue].map((d) => d.toFixed(2))).toEqual([
      total.toFixed(2),
      total.toFixed(2),
      '0.00',
      '0.00',
    ]);
  });

  it('shows OVERDUE once the due date passed with a balance, filters by it and sums it', async () => {
    const { client, customer } = await clientWithOneMeteredCustomer('1');
    const draftId = (await run(client)).customers[0].invoiceId!;
    // An invoice issued last year: issue the draft by hand with a due date in the past.
    const draft = await getInvoiceOrThrow(client.admin, draftId);
    await client.system((tx) =>
      tx
        .update(schema.invoices)
        .set({
          status: 'ISSUED',
          number: `${client.code}-2025-000001`,
          fiscalYear: 2025,
          sequence: 1,
          issuedAt: new Date('2025-10-03T15:00:00Z'),
          dueDate: '2025-11-02',
        })
        .where(and(eq(schema.invoices.clientId, client.clientId), eq(schema.invoices.id, draft.invoiceId))),
    );
    const overdue = await getInvoiceOrThrow(client.admin, draftId);
    expect(overdue.status).toBe('OVERDUE');
    const customerId = toGlobalId('Customer', client.clientId, customer.id);
    expect((await listCustomerInvoices(client.admin, customerId, { status: 'OVERDUE' as never })).totalCount).toBe(1);
    expect((await listCustomerInvoices(client.admin, customerId, { status: 'ISSUED' as never })).totalCount).toBe(0);
    const summary = await getBillingSummary(client.admin, client.clientId, PERIOD);
    expect(summary.overdue.toFixed(2)).toBe(overdue.total.toFixed(2));
    // Partly paid and still late: still OVERDUE; paid in full: PAID.
    await recordPayment(client.admin, { invoiceId: draftId, amount: new Decimal('1.00'), paidAt: new Date() });
    expect((await getInvoiceOrThrow(client.admin, draftId)).status).toBe('OVERDUE');
    const paid = await recordPayment(client.admin, {
      invoiceId: draftId,
      amount: overdue.total.minus(1),
      paidAt: new Date(),
    });
    expect(paid.invoice.status).toBe('PAID');
  });

  it('voids an unpaid issued invoice (kept with its number); the next run bills the period again', async () => {
    const { client, customer } = await clientWithOneMeteredCustomer('1');
    const [invoice] = await issueInvoices(client.admin, { runId: (await run(client)).id });
    const voided = await voidInvoice(client.admin, { id: invoice.id, reason: 'Wrong multiplier' });
    expect(voided).toMatchObject({ status: 'VOID', voidReason: 'Wrong multiplier', number: invoice.number });
    expect(voided.balance.toFixed(2)).toBe('0.00');
    const rerun = await run(client);
    expect(rerun.counts).toMatchObject({ drafted: 1 });
    const list = await listCustomerInvoices(client.admin, toGlobalId('Customer', client.clientId, customer.id), {});
    expect(list.edges.map((e) => e.node.status).sort()).toEqual(['DRAFT', 'VOID']);
    await expect(voidInvoice(client.admin, { id: invoice.id, reason: 'again' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});

describe('credit notes', () => {
  it('correct an issued invoice with a negative total, numbered in the same sequence; over-crediting is refused', async () => {
    const { client } = await clientWithOneMeteredCustomer('1');
    const draftId = (await run(client)).customers[0].invoiceId!;
    await expect(
      createCreditNote(client.admin, { invoiceId: draftId, amount: new Decimal('1'), reason: 'x' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'invoiceId' } });
    const [invoice] = await issueInvoices(client.admin, { invoiceIds: [draftId] });
    const note = await createCreditNote(client.admin, {
      invoiceId: invoice.id,
      amount: new Decimal('100.00'),
      reason: 'Lectura corregida',
    });
    expect(note).toMatchObject({ kind: 'CREDIT_NOTE', status: 'DRAFT', creditNoteOf: invoice.id, period: PERIOD });
    expect([note.subtotal, note.vat, note.total, note.balance].map((d) => d.toFixed(2))).toEqual([
      '-100.00',
      '-13.00',
      '-113.00',
      '0.00',
    ]);
    expect(note.lines.map((l) => [l.kind, l.amount.toFixed(2)])).toEqual([['CREDIT', '-100.00']]);
    await expect(
      createCreditNote(client.admin, { invoiceId: invoice.id, amount: invoice.subtotal, reason: 'too much' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'amount' } });
    const [issuedNote] = await issueInvoices(client.admin, { invoiceIds: [note.id] });
    expect(issuedNote.number).toBe(invoice.number!.replace(/000001$/, '000002'));
    expect((await getInvoiceOrThrow(client.admin, invoice.id)).total.toFixed(2)).toBe(invoice.total.toFixed(2));
    const summary = await getBillingSummary(client.admin, client.clientId, PERIOD);
    expect([summary.billed, summary.credited].map((d) => d.toFixed(2))).toEqual([invoice.total.toFixed(2), '113.00']);
    expect(summary.invoiceCount).toBe(1);
  });
});

describe('adjustments', () => {
  it('are picked up by the next run as ADJUSTMENT lines, and refused once the period is issued', async () => {
    const { client, customer } = await clientWithOneMeteredCustomer('1');
    const customerId = toGlobalId('Customer', client.clientId, customer.id);
    const before = await run(client);
    const draftBefore = await getInvoiceOrThrow(client.admin, before.customers[0].invoiceId!);
    await createAdjustment(client.admin, {
      customerId,
      period: PERIOD,
      description: 'Crédito por corte',
      amount: new Decimal('-50.00'),
    });
    await createAdjustment(client.admin, {
      customerId,
      period: PERIOD,
      description: 'Reconexión',
      amount: new Decimal('25.10'),
    });
    const after = await run(client);
    const draft = await getInvoiceOrThrow(client.admin, after.customers[0].invoiceId!);
    expect(draft.lines.filter((l) => l.kind === 'ADJUSTMENT').map((l) => [l.description, l.amount.toFixed(2)])).toEqual(
      [
        ['Crédito por corte', '-50.00'],
        ['Reconexión', '25.10'],
      ],
    );
    expect(draft.subtotal.minus(draftBefore.subtotal).toFixed(2)).toBe('-24.90');
    // Re-running keeps them on the replacement draft.
    const again = await getInvoiceOrThrow(client.admin, (await run(client)).customers[0].invoiceId!);
    expect(again.lines.filter((l) => l.kind === 'ADJUSTMENT')).toHaveLength(2);
    await issueInvoices(client.admin, { invoiceIds: [again.id] });
    await expect(
      createAdjustment(client.admin, { customerId, period: PERIOD, description: 'late', amount: new Decimal('1') }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'period' } });
    const linked = await client.system((tx) =>
      tx
        .select()
        .from(schema.adjustments)
        .where(and(eq(schema.adjustments.clientId, client.clientId), eq(schema.adjustments.customerId, customer.id))),
    );
    expect(linked.map((a) => a.invoiceId)).toEqual([again.invoiceId, again.invoiceId]);
  });
});

describe('reading invoices', () => {
  it('lets a customer user read its own invoices only; other customers and clients are FORBIDDEN', async () => {
    const { client, customer } = await clientWithOneMeteredCustomer('1');
    const other = await client.customer();
    await client.readings((await client.meter(other.id)).id, constantReadings(PERIOD, '1'));
    const result = await run(client);
    const mine = result.customers.find((c) => c.customerCode === customer.code)!.invoiceId!;
    const theirs = result.customers.find((c) => c.customerCode === other.code)!.invoiceId!;
    const user = client.customerUser(customer);
    expect((await getInvoiceOrThrow(user, mine)).id).toBe(mine);
    await expect(getInvoiceOrThrow(user, theirs)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const clientId = toGlobalId('Client', client.clientId, client.clientId);
    const own = await listInvoices(user, { clientId });
    expect(own.edges.map((e) => e.node.id)).toEqual([mine]);
    await expect(
      listInvoices(user, { clientId, customerId: toGlobalId('Customer', client.clientId, other.id) }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const stranger = await seedBillingClient(database);
    await expect(getInvoiceOrThrow(stranger.admin, mine)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(listInvoices(stranger.admin, { clientId })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    const all = await listInvoices(client.admin, { clientId, status: 'DRAFT' as never, first: 1 });
    expect(all.totalCount).toBe(2);
    expect(all.pageInfo.hasNextPage).toBe(true);
  });
});
