import { withTenant, type Tx } from '@ciro/db';
import {
  BadUserInputError,
  assertClientAdmin,
  fromTenantIdOrThrow,
  recordAudit,
  tenantContextFor,
  toGlobalId,
  type Caller,
  type Page,
} from '@ciro/subgraph-common';
import {
  findBillingPeriod,
  listBillingPeriods,
  lockBillingPeriod,
  setBillingPeriodStatus,
  type BillingPeriodRow,
} from './billing-period.repository';
import { BillingPeriodStatus, type BillingPeriod } from './billing-period.type';

function toBillingPeriod(clientId: string, row: BillingPeriodRow): BillingPeriod {
  return {
    id: toGlobalId('BillingPeriod', clientId, row.id),
    period: row.period,
    status: row.status === 'CLOSED' ? BillingPeriodStatus.CLOSED : BillingPeriodStatus.OPEN,
    runs: row.runs,
    runsInProgress: row.runsInProgress,
    lastRunId: row.lastRunId ? toGlobalId('BillingRun', clientId, row.lastRunId) : null,
    drafts: row.drafts,
    issued: row.issued,
  };
}

function adminClientId(caller: Caller, clientGlobalId: string): string {
  const { clientId } = fromTenantIdOrThrow('Client', clientGlobalId);
  assertClientAdmin(caller.identity, clientId);
  return clientId;
}

/**
 * Called inside the transaction that creates a billing run: the month must be OPEN. Locks the period's row, so a
 * concurrent close waits for the run to exist (and then refuses, as a run is in progress).
 */
export async function assertPeriodOpen(tx: Tx, clientId: string, period: string): Promise<void> {
  const row = await lockBillingPeriod(tx, clientId, period);
  if (row.status === 'CLOSED') {
    throw new BadUserInputError(
      'period',
      `Billing period ${period} is closed: reopen it (reopenBillingPeriod) to bill it again`,
    );
  }
}

export async function listClientBillingPeriods(
  caller: Caller,
  clientGlobalId: string,
  page: Page,
): Promise<{ rows: BillingPeriod[]; total: number }> {
  const clientId = adminClientId(caller, clientGlobalId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const { rows, total } = await listBillingPeriods(tx, clientId, page);
    return { rows: rows.map((row) => toBillingPeriod(clientId, row)), total };
  });
}

/**
 * Closes a month once it is finished: no run in progress and no draft left (issue the drafts, or void what must
 * not be billed). runBilling then refuses the month until it is reopened.
 */
export async function closeBillingPeriod(
  caller: Caller,
  input: { clientId: string; period: string },
): Promise<BillingPeriod> {
  return changeStatus(caller, input, 'CLOSED');
}

/** Opens a closed month again (a correction must be billed); audited like closing. */
export async function reopenBillingPeriod(
  caller: Caller,
  input: { clientId: string; period: string },
): Promise<BillingPeriod> {
  return changeStatus(caller, input, 'OPEN');
}

async function changeStatus(
  caller: Caller,
  input: { clientId: string; period: string },
  status: 'OPEN' | 'CLOSED',
): Promise<BillingPeriod> {
  const clientId = adminClientId(caller, input.clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const before = await findBillingPeriod(tx, clientId, input.period);
    if (!before) {
      throw new BadUserInputError(
        'period',
        `Nothing has been billed for ${input.period} yet: there is no period to close or reopen`,
      );
    }
    const locked = await lockBillingPeriod(tx, clientId, input.period);
    if (locked.status === status) return toBillingPeriod(clientId, before);
    if (status === 'CLOSED') {
      const current = (await findBillingPeriod(tx, clientId, input.period)) ?? before;
      if (current.runsInProgress > 0) {
        throw new BadUserInputError(
          'period',
          `Billing period ${input.period} has a billing run in progress: wait for it to finish`,
        );
      }
      if (current.drafts > 0) {
        throw new BadUserInputError(
          'period',
          `Billing period ${input.period} still has ${current.drafts} draft invoice(s): issue them (issueInvoices) before closing it`,
        );
      }
    }
    await setBillingPeriodStatus(tx, clientId, locked.id, status);
    await recordAudit(tx, caller, {
      clientId,
      action: status === 'CLOSED' ? 'billing.period.close' : 'billing.period.reopen',
      entityType: 'BillingPeriod',
      entityId: locked.id,
      before: { status: locked.status },
      after: { period: input.period, status },
    });
    const after = await findBillingPeriod(tx, clientId, input.period);
    if (!after) throw new Error(`billing period ${input.period} vanished`);
    return toBillingPeriod(clientId, after);
  });
}
