import { NotFoundError, fromTenantIdOrThrow } from '@ciro/subgraph-common';
import { callerOf } from '../caller';
import type { TenancyContext } from '../context';
import type { Client } from './client.type';
import { getClientByIdForCaller } from './client.service';

/**
 * Federation entry point for Client: type-graphql guards do not run here, so
 * the tenant check happens explicitly (via tenantContextFor in the service).
 */
export async function resolveClientReference(reference: Pick<Client, 'id'>, context: TenancyContext): Promise<Client> {
  const caller = callerOf(context);
  const { clientId } = fromTenantIdOrThrow('Client', reference.id);
  const client = await getClientByIdForCaller(caller, clientId);
  if (!client) throw new NotFoundError('Client', reference.id);
  return client;
}
