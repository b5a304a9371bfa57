import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { createDb } from '../client.js';
import { asSystem, withTenant } from '../tenant.js';
import { customers, clients, organizations } from '../schema/index.js';
import { createTestDatabase } from '../testing.js';

/** Prints one JSON object per figure, as `npm run bench` promises. */
function report(name: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toFixed(3)), unit })}\n`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function time(iterations: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return samples.sort((a, b) => a - b);
}

/**
 * What row-level security and the per-transaction tenant context cost on a
 * point read of a customer, beside the same read in a bare transaction.
 */
async function main(): Promise<void> {
  const urls = await createTestDatabase('ciro_bench');
  const database = createDb({ url: urls.appUrl, max: 4 });
  const clientId = randomUUID();
  const customerIds: string[] = [];
  await asSystem(database, 'bench fixture', async (tx) => {
    const organizationId = randomUUID();
    await tx.insert(organizations).values({ id: organizationId, name: 'Bench', slug: 'bench' });
    await tx.insert(clients).values({ id: clientId, organizationId, code: 'BENCH', name: 'Bench' });
    for (let i = 0; i < 1000; i += 1) {
      const id = randomUUID();
      customerIds.push(id);
      await tx
        .insert(customers)
        .values({ clientId, id, code: `C-${String(i).padStart(4, '0')}`, name: `Customer ${i}` });
    }
  });
  const context = { role: 'CLIENT_ADMIN' as const, clientId, customerId: null, userId: null };
  const pick = (i: number) => customerIds[i % customerIds.length];
  const iterations = 2000;
  let i = 0;
  const baseline = await time(iterations, () =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.role', 'SYSTEM', true)`);
      return tx
        .select()
        .from(customers)
        .where(and(eq(customers.clientId, clientId), eq(customers.id, pick((i += 1)))));
    }),
  );
  const tenant = await time(iterations, () =>
    withTenant(database, context, (tx) =>
      tx
        .select()
        .from(customers)
        .where(and(eq(customers.clientId, clientId), eq(customers.id, pick((i += 1))))),
    ),
  );
  report('db.point_read.baseline_tx.p50', percentile(baseline, 50), 'ms');
  report('db.point_read.baseline_tx.p95', percentile(baseline, 95), 'ms');
  report('db.point_read.with_tenant_rls.p50', percentile(tenant, 50), 'ms');
  report('db.point_read.with_tenant_rls.p95', percentile(tenant, 95), 'ms');
  report('db.point_read.rls_overhead_ratio.p50', percentile(tenant, 50) / percentile(baseline, 50), 'x');
  await database.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
