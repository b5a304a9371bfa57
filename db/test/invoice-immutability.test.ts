import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, invoiceLines, invoices, withTenant, type Database } from '../src/index';
import { seedClient, sqlStateOf, type SeededClient } from './support/seed';

/** Migration 0008: once an invoice leaves DRAFT, the database itself refuses to edit it or its lines. */

const NOT_IN_PREREQUISITE_STATE = '55000';

let database: Database;
let client: SeededClient;

beforeAll(async () => {
  database = createDb({ url: inject('databaseUrl'), max: 4 });
  client = await seedClient(database, 'immutable', 4);
});

afterAll(async () => {
  await database?.close();
});

const asAdmin = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(database, client.admin, fn);

async function issue(invoiceId: string, number: string): Promise<void> {
  await asAdmin((tx) =>
    tx
      .update(invoices)
      .set({ status: 'ISSUED', number, fiscalYear: 2031, sequence: 1, issuedAt: new Date(), dueDate: '2031-03-01' })
      .where(and(eq(invoices.clientId, client.clientId), eq(invoices.id, invoiceId))),
  );
}

describe('an issued invoice', () => {
  let invoiceId: string;
  beforeAll(async () => {
    invoiceId = client.customers[0].invoiceId;
    await issue(invoiceId, `IMM-${invoiceId.slice(0, 8)}`);
  });

  it('refuses a direct SQL update of its total, even by an admin of its client', async () => {
    const state = await sqlStateOf(
      asAdmin((tx) =>
        tx.execute(sql`update invoices set total = 1 where client_id = ${client.clientId} and id = ${invoiceId}`),
      ),
    );
    expect(state).toBe(NOT_IN_PREREQUISITE_STATE);
    const [row] = await asAdmin((tx) =>
      tx.select({ total: invoices.total }).from(invoices).where(eq(invoices.id, invoiceId)),
    );
    expect(row?.total).toBe('113.00');
  });

  it('refuses changing its number, period or amounts, and going back to DRAFT', async () => {
    for (const change of [{ number: 'X-1' }, { period: '2031-02' }, { subtotal: '1.00' }, { status: 'DRAFT' }]) {
      const state = await sqlStateOf(
        asAdmin((tx) => tx.update(invoices).set(change).where(eq(invoices.id, invoiceId))),
      );
      expect({ change, state }).toEqual({ change, state: NOT_IN_PREREQUISITE_STATE });
    }
  });

  it('accepts its life-cycle columns: paid amount, status, PDF', async () => {
    const [row] = await asAdmin((tx) =>
      tx
        .update(invoices)
        .set({ paidAmount: '13.00', status: 'PARTIALLY_PAID', pdfStatus: 'RENDERED', pdfBlobKey: 'k' })
        .where(eq(invoices.id, invoiceId))
        .returning({ status: invoices.status, paid: invoices.paidAmount }),
    );
    expect(row).toEqual({ status: 'PARTIALLY_PAID', paid: '13.00' });
  });

  it('cannot be deleted, and its lines accept no insert, update or delete', async () => {
    expect(await sqlStateOf(asAdmin((tx) => tx.delete(invoices).where(eq(invoices.id, invoiceId))))).toBe(
      NOT_IN_PREREQUISITE_STATE,
    );
    expect(
      await sqlStateOf(
        asAdmin((tx) => tx.update(invoiceLines).set({ amount: '1.00' }).where(eq(invoiceLines.invoiceId, invoiceId))),
      ),
    ).toBe(NOT_IN_PREREQUISITE_STATE);
    expect(
      await sqlStateOf(asAdmin((tx) => tx.delete(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)))),
    ).toBe(NOT_IN_PREREQUISITE_STATE);
    expect(
      await sqlStateOf(
        asAdmin((tx) =>
          tx.insert(invoiceLines).values({
            clientId: client.clientId,
            invoiceId,
            lineNo: 99,
            kind: 'ADJUSTMENT',
            description: 'sneaked in',
            amount: '-100.00',
          }),
        ),
      ),
    ).toBe(NOT_IN_PREREQUISITE_STATE);
  });
});

describe('a voided invoice', () => {
  it('stays VOID: its status and void reason never change again', async () => {
    const invoiceId = client.customers[1].invoiceId;
    await issue(invoiceId, `IMM-${invoiceId.slice(0, 8)}`);
    await asAdmin((tx) =>
      tx
        .update(invoices)
        .set({ status: 'VOID', voidedAt: new Date(), voidReason: 'wrong meter' })
        .where(eq(invoices.id, invoiceId)),
    );
    for (const change of [{ status: 'ISSUED' }, { voidReason: 'other' }]) {
      expect(await sqlStateOf(asAdmin((tx) => tx.update(invoices).set(change).where(eq(invoices.id, invoiceId))))).toBe(
        NOT_IN_PREREQUISITE_STATE,
      );
    }
  });
});

describe('a draft invoice', () => {
  it('is edited freely and deleted with its lines', async () => {
    const invoiceId = client.customers[2].invoiceId;
    await asAdmin(async (tx) => {
      await tx.update(invoiceLines).set({ amount: '90.00' }).where(eq(invoiceLines.invoiceId, invoiceId));
      await tx.update(invoices).set({ subtotal: '90.00', total: '101.70' }).where(eq(invoices.id, invoiceId));
    });
    const deleted = await asAdmin(async (tx) => {
      await tx.execute(sql`delete from payments where invoice_id = ${invoiceId}`);
      return tx.delete(invoices).where(eq(invoices.id, invoiceId)).returning({ id: invoices.id });
    });
    expect(deleted).toEqual([{ id: invoiceId }]);
    const lines = await asAdmin((tx) => tx.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId)));
    expect(lines).toEqual([]);
  });
});
