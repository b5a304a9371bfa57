import { randomUUID } from 'node:crypto';
import {
  asSystem,
  clients,
  customers,
  invoiceLines,
  invoices,
  meterAssignments,
  meters,
  organizations,
  payments,
  roleAssignments,
  tariffs,
  uploads,
  users,
  type Database,
  type TenantContext,
} from '../../src/index';

/** One client with two customers (each with a meter, an invoice with a line and a payment) and a tariff. */
export interface SeededClient {
  clientId: string;
  tariffId: string;
  uploadId: string;
  adminUserId: string;
  customers: SeededCustomer[];
  admin: TenantContext;
}

export interface SeededCustomer {
  customerId: string;
  code: string;
  name: string;
  meterId: string;
  invoiceId: string;
  paymentId: string;
  userId: string;
  user: TenantContext;
}

const unique = () => randomUUID().slice(0, 8);

/** Seeds through asSystem, as the app role: also proves SYSTEM may write every table. */
export async function seedClient(database: Database, label: string, customerCount = 2): Promise<SeededClient> {
  const tag = `${label}-${unique()}`;
  return asSystem(database, `test seed ${tag}`, async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ name: `Org ${tag}`, slug: `org-${tag}` })
      .returning();
    const [client] = await tx
      .insert(clients)
      .values({ organizationId: org.id, code: `CL-${tag}`, name: `Client ${tag}` })
      .returning();
    const clientId = client.id;
    const [tariff] = await tx.insert(tariffs).values({ clientId, code: 'T1', name: 'Tariff' }).returning();
    const [upload] = await tx
      .insert(uploads)
      .values({ clientId, kind: 'READINGS', fileName: 'r.xlsx', sha256: tag, status: 'PREVIEW' })
      .returning();
    const [adminUser] = await tx
      .insert(users)
      .values({ email: `admin-${tag}@example.test` })
      .returning();
    await tx.insert(roleAssignments).values({ clientId, userId: adminUser.id, role: 'CLIENT_ADMIN' });

    const seededCustomers: SeededCustomer[] = [];
    for (let i = 1; i <= customerCount; i++) {
      const code = `C-${i}`;
      const name = `Customer ${i} of ${tag}`;
      const [customer] = await tx.insert(customers).values({ clientId, code, name, tariffId: tariff.id }).returning();
      const customerId = customer.id;
      const [meter] = await tx
        .insert(meters)
        .values({ clientId, serial: `${tag}-${i}` })
        .returning();
      await tx.insert(meterAssignments).values({
        clientId,
        meterId: meter.id,
        customerId,
        validFrom: new Date('2030-01-01T00:00:00Z'),
      });
      const [invoice] = await tx
        .insert(invoices)
        .values({
          clientId,
          customerId,
          period: '2031-01',
          currency: 'USD',
          subtotal: '100.00',
          vat: '13.00',
          total: '113.00',
          vatRate: '0.130000',
        })
        .returning();
      await tx.insert(invoiceLines).values({
        clientId,
        invoiceId: invoice.id,
        lineNo: 1,
        kind: 'ENERGY',
        description: 'Energy',
        quantity: '1000.000000',
        unit: 'kWh',
        rate: '0.100000',
        amount: '100.00',
      });
      const [payment] = await tx
        .insert(payments)
        .values({ clientId, invoiceId: invoice.id, amount: '50.00', paidAt: new Date() })
        .returning();
      const [user] = await tx
        .insert(users)
        .values({ email: `user${i}-${tag}@example.test` })
        .returning();
      await tx.insert(roleAssignments).values({ clientId, userId: user.id, role: 'CUSTOMER_USER', customerId });
      seededCustomers.push({
        customerId,
        code,
        name,
        meterId: meter.id,
        invoiceId: invoice.id,
        paymentId: payment.id,
        userId: user.id,
        user: { role: 'CUSTOMER_USER', clientId, customerId, userId: user.id },
      });
    }
    return {
      clientId,
      tariffId: tariff.id,
      uploadId: upload.id,
      adminUserId: adminUser.id,
      customers: seededCustomers,
      admin: { role: 'CLIENT_ADMIN', clientId, customerId: null, userId: adminUser.id },
    };
  });
}

/** The SQLSTATE of a rejected query (drizzle wraps postgres-js errors in `cause`). */
export async function sqlStateOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    let current: unknown = error;
    for (let i = 0; i < 5 && current; i++) {
      const code = (current as { code?: unknown }).code;
      if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
      current = (current as { cause?: unknown }).cause;
    }
    throw new Error(`Rejected without a SQLSTATE: ${String(error)}`, { cause: error });
  }
  throw new Error('Expected the query to be rejected, but it succeeded');
}

export const sorted = (values: string[]) => [...values].sort();
