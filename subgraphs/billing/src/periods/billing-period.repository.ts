import type { Tx } from '@ciro/db';
import { sql } from 'drizzle-orm';

export type PeriodStatus = 'OPEN' | 'CLOSED';

export interface BillingPeriodRow {
  id: string;
  period: string;
  status: PeriodStatus;
  runs: number;
  runsInProgress: number;
  lastRunId: string | null;
  drafts: number;
  issued: number;
}

/** The period's row (created OPEN on first use), locked until the transaction ends. */
export async function lockBillingPeriod(
  tx: Tx,
  clientId: string,
  period: string,
): Promise<{ id: string; status: PeriodStatus }> {
  await tx.execute(sql`
    insert into billing_periods (client_id, period) values (${clientId}, ${period})
    on conflict (client_id, period) do nothing`);
  const [row] = await tx.execute<{ id: string; status: PeriodStatus }>(sql`
    select id, status from billing_periods where client_id = ${clientId} and period = ${period} for update`);
  if (!row) throw new Error(`billing period ${period} of ${clientId} vanished`);
  return row;
}

export async function setBillingPeriodStatus(tx: Tx, clientId: string, id: string, status: PeriodStatus) {
  await tx.execute(sql`update billing_periods set status = ${status} where client_id = ${clientId} and id = ${id}`);
}

const SUMMARY = (clientId: string) => sql`
  select p.id, p.period, p.status,
    (select count(*)::int from billing_runs r where r.client_id = p.client_id and r.period = p.period) as runs,
    (select count(*)::int from billing_runs r where r.client_id = p.client_id and r.period = p.period
       and r.status in ('QUEUED', 'RUNNING')) as runs_in_progress,
    (select r.id from billing_runs r where r.client_id = p.client_id and r.period = p.period
       order by r.created_at desc limit 1) as last_run_id,
    (select count(*)::int from invoices i where i.client_id = p.client_id and i.period = p.period
       and i.status = 'DRAFT') as drafts,
    (select count(*)::int from invoices i where i.client_id = p.client_id and i.period = p.period
       and i.status <> 'DRAFT') as issued
  from billing_periods p
  where p.client_id = ${clientId}`;

type SummaryRow = {
  id: string;
  period: string;
  status: PeriodStatus;
  runs: number;
  runs_in_progress: number;
  last_run_id: string | null;
  drafts: number;
  issued: number;
};

function toRow(row: SummaryRow): BillingPeriodRow {
  return {
    id: row.id,
    period: row.period,
    status: row.status,
    runs: row.runs,
    runsInProgress: row.runs_in_progress,
    lastRunId: row.last_run_id,
    drafts: row.drafts,
    issued: row.issued,
  };
}

/** The client's billing periods, newest first, with their runs and invoices counted. */
export async function listBillingPeriods(
  tx: Tx,
  clientId: string,
  window: { offset: number; limit: number },
): Promise<{ rows: BillingPeriodRow[]; total: number }> {
  const rows = await tx.execute<SummaryRow>(
    sql`${SUMMARY(clientId)} order by p.period desc offset ${window.offset} limit ${window.limit}`,
  );
  const [count] = await tx.execute<{ total: number }>(
    sql`select count(*)::int as total from billing_periods where client_id = ${clientId}`,
  );
  return { rows: rows.map(toRow), total: count?.total ?? 0 };
}

export async function findBillingPeriod(tx: Tx, clientId: string, period: string): Promise<BillingPeriodRow | null> {
  const [row] = await tx.execute<SummaryRow>(sql`${SUMMARY(clientId)} and p.period = ${period}`);
  return row ? toRow(row) : null;
}
