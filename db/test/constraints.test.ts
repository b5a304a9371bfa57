import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  asSystem,
  billingPeriods,
  createDb,
  meterAssignments,
  roleAssignments,
  users,
  type Database,
} from '../src/index';
import { seedClient, sqlStateOf, type SeededClient } from './support/seed';

let database: Database;
let a: SeededClient;

beforeAll(async () => {
  database = createDb({ url: inject('databaseUrl'), max: 2 });
  a = await seedClient(database, 'constraints');
});

afterAll(async () => {
  await database?.close();
});

const system = <T>(fn: Parameters<typeof asSystem<T>>[2]) => asSystem(database, 'test: constraints', fn);

describe('schema constraints', () => {
  it('refuses a second assignment of a meter that overlaps the first', async () => {
    const { meterId } = a.customers[0];
    const otherCustomer = a.customers[1].customerId;
    const state = await sqlStateOf(
      system((tx) =>
        tx.insert(meterAssignments).values({
          clientId: a.clientId,
          meterId,
          customerId: otherCustomer,
          validFrom: new Date('2031-01-01T00:00:00Z'),
        }),
      ),
    );
    expect(state).toBe('23P01');
  });

  it('accepts consecutive assignments of a meter', async () => {
    const { meterId, customerId } = a.customers[0];
    const rows = await system(async (tx) =>
      tx
        .insert(meterAssignments)
        .values([
          {
            clientId: a.clientId,
            meterId,
            customerId,
            validFrom: new Date('2020-01-01Z'),
            validTo: new Date('2021-01-01Z'),
          },
          {
            clientId: a.clientId,
            meterId,
            customerId,
            validFrom: new Date('2021-01-01Z'),
            validTo: new Date('2022-01-01Z'),
          },
        ])
        .returning({ id: meterAssignments.id }),
    );
    expect(rows).toHaveLength(2);
  });

  it('stores emails lowercased only', async () => {
    const state = await sqlStateOf(
      system((tx) => tx.insert(users).values({ email: `Mixed-${randomUUID()}@Example.test` })),
    );
    expect(state).toBe('23514');
  });

  it('requires a customer for CUSTOMER_USER assignments and none for CLIENT_ADMIN', async () => {
    const [user] = await system((tx) =>
      tx
        .insert(users)
        .values({ email: `r-${randomUUID()}@example.test` })
        .returning(),
    );
    const noCustomer = await sqlStateOf(
      system((tx) =>
        tx.insert(roleAssignments).values({ clientId: a.clientId, userId: user.id, role: 'CUSTOMER_USER' }),
      ),
    );
    expect(noCustomer).toBe('23514');
    await system((tx) =>
      tx.insert(roleAssignments).values({ clientId: a.clientId, userId: user.id, role: 'CLIENT_ADMIN' }),
    );
    const duplicate = await sqlStateOf(
      system((tx) =>
        tx.insert(roleAssignments).values({ clientId: a.clientId, userId: user.id, role: 'CLIENT_ADMIN' }),
      ),
    );
    expect(duplicate).toBe('23505'); // NULLS NOT DISTINCT: a null customer_id still collides
  });

  it("accepts billing periods shaped 'YYYY-MM' only", async () => {
    const bad = await sqlStateOf(
      system((tx) => tx.insert(billingPeriods).values({ clientId: a.clientId, period: '2031-13' })),
    );
    expect(bad).toBe('23514');
    const [ok] = await system((tx) =>
      tx
        .insert(billingPeriods)
        .values({ clientId: a.clientId, period: '2031-12' })
        .returning({ status: billingPeriods.status }),
    );
    expect(ok).toEqual({ status: 'OPEN' });
  });
});
