import { NotFoundError } from '@ciro/subgraph-common';
import { callerOf } from '../caller';
import type { TenancyContext } from '../context';
import type { Customer } from './customer.type';
import { customerIdsOrThrow, getCustomerByIdsForCaller } from './customer.service';

/** Federation entry point for Customer, with its own tenant check (guards do not run here). */
export async function resolveCustomerReference(
  reference: Pick<Customer, 'id'>,
  context: TenancyContext,
): Promise<Customer> {
  const caller = callerOf(context);
  const { clientId, customerId } = customerIdsOrThrow(caller, reference.id);
  const customer = await getCustomerByIdsForCaller(caller, clientId, customerId);
  if (!customer) throw new NotFoundError('Customer', reference.id);
  return customer;
}
