import type { Tx } from '@ciro/db';
import { loadBillingScope, type BillingScope, type CustomerToBill } from './billing-inputs.repository';

interface Entry {
  scope: BillingScope;
  byId: Map<string, CustomerToBill>;
  loadedAt: number;
}

/**
 * What every customer of a run shares (client zone and VAT, the ACTIVE customers, their tariffs with blocks and rate
 * sets, holidays), loaded once per run and process instead of once per child job: the run prices every customer
 * with the same tariff snapshot. Small and short-lived: a few runs at a time, each for minutes.
 */
export class RunScopeCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 16,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  /** The scope and the customer to bill; reloads once when the customer is not in a cached scope. */
  async customerOf(
    tx: Tx,
    run: { clientId: string; id: string; period: string },
    customerId: string,
  ): Promise<{ scope: BillingScope; customer: CustomerToBill | null } | null> {
    let entry = this.fresh(run.id);
    if (!entry?.byId.has(customerId)) entry = await this.load(tx, run);
    if (!entry) return null;
    return { scope: entry.scope, customer: entry.byId.get(customerId) ?? null };
  }

  forget(runId: string): void {
    this.entries.delete(runId);
  }

  private fresh(runId: string): Entry | undefined {
    const entry = this.entries.get(runId);
    if (entry && Date.now() - entry.loadedAt > this.ttlMs) {
      this.entries.delete(runId);
      return undefined;
    }
    return entry;
  }

  private async load(tx: Tx, run: { clientId: string; id: string; period: string }): Promise<Entry | undefined> {
    const scope = await loadBillingScope(tx, run.clientId, run.period);
    if (!scope) return undefined;
    const entry = { scope, byId: new Map(scope.customers.map((c) => [c.id, c])), loadedAt: Date.now() };
    this.entries.delete(run.id);
    this.entries.set(run.id, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry;
  }
}
