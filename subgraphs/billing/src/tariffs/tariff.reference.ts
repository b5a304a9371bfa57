import { callerOf } from '@ciro/subgraph-common';
import type { BillingContext } from '../context';
import type { Tariff } from './tariff.type';
import { getTariffOrThrow } from './tariff.service';

/** Federation entry point for Tariff; the service checks the tenant (guards do not run here). */
export function resolveTariffReference(reference: Pick<Tariff, 'id'>, context: BillingContext): Promise<Tariff> {
  return getTariffOrThrow(callerOf(context), reference.id);
}
