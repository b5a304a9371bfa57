import { callerOf } from '@ciro/subgraph-common';
import type { BillingContext } from '../context';
import { getBillingRunOrThrow } from './billing-run.service';
import type { BillingRun } from './billing-run.type';

/** Federation entry point for BillingRun: guards do not run here, the service checks the tenant (admins only). */
export function resolveBillingRunReference(
  reference: Pick<BillingRun, 'id'>,
  context: BillingContext,
): Promise<BillingRun> {
  return getBillingRunOrThrow(callerOf(context), reference.id);
}
