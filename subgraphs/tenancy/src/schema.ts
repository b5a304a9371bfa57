import { buildFederatedSchema } from '@ciro/subgraph-common';
import type { GraphQLSchema } from 'graphql';
import { ClientAuditLogResolver } from './audit/audit.resolver';
import { ClientResolver } from './clients/client.resolver';
import { resolveClientReference } from './clients/client.reference';
import { CustomerImportResolver } from './customers/customer-import.resolver';
import { ClientCustomersResolver, CustomerResolver } from './customers/customer.resolver';
import { resolveCustomerReference } from './customers/customer.reference';
import { ClientMetersResolver, CustomerMetersResolver, MeterResolver } from './meters/meter.resolver';
import { resolveMeterReference } from './meters/meter.reference';
import { OrganizationResolver } from './organizations/organization.resolver';
import { ApiKeyResolver, ClientApiKeysResolver } from './api-keys/api-key.resolver';
import { AuthResolver } from './auth/auth.resolver';
import { ClientUsersResolver, UserResolver } from './users/user.resolver';

/** Every resolver class of the tenancy subgraph. */
export const tenancyResolvers = [
  ClientResolver,
  CustomerResolver,
  ClientCustomersResolver,
  CustomerImportResolver,
  MeterResolver,
  ClientMetersResolver,
  CustomerMetersResolver,
  OrganizationResolver,
  ClientAuditLogResolver,
  AuthResolver,
  UserResolver,
  ClientUsersResolver,
  ApiKeyResolver,
  ClientApiKeysResolver,
] as const;

export function buildTenancySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: tenancyResolvers,
    referenceResolvers: {
      Client: { __resolveReference: resolveClientReference },
      Customer: { __resolveReference: resolveCustomerReference },
      Meter: { __resolveReference: resolveMeterReference },
    },
  });
}
