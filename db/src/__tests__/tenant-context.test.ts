import { describe, expect, it } from 'vitest';
import { assertTenantContext, TenantContextError, type TenantContext } from '../tenant';

const client = '4f1c2a9e-8b3d-4e6f-9a1b-2c3d4e5f6a7b';
const customer = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const ok = (ctx: TenantContext) => () => assertTenantContext(ctx);

describe('assertTenantContext', () => {
  it('accepts the contexts a real caller can have', () => {
    expect(ok({ role: 'SYSTEM_ADMIN', clientId: null, customerId: null, userId: null })).not.toThrow();
    expect(ok({ role: 'SYSTEM_ADMIN', clientId: client, customerId: null, userId: null })).not.toThrow();
    expect(ok({ role: 'CLIENT_ADMIN', clientId: client, customerId: null, userId: null })).not.toThrow();
    expect(ok({ role: 'CUSTOMER_USER', clientId: client, customerId: customer, userId: null })).not.toThrow();
  });

  it('throws when a client admin has no client or a customer user has no customer', () => {
    expect(ok({ role: 'CLIENT_ADMIN', clientId: null, customerId: null, userId: null })).toThrow(TenantContextError);
    expect(ok({ role: 'CUSTOMER_USER', clientId: client, customerId: null, userId: null })).toThrow(/customerId/);
    expect(ok({ role: 'CUSTOMER_USER', clientId: null, customerId: customer, userId: null })).toThrow(/clientId/);
  });

  it('throws on a role RLS does not know, and on a client admin carrying a customer', () => {
    expect(ok({ role: 'SYSTEM' as TenantContext['role'], clientId: null, customerId: null, userId: null })).toThrow(
      /Unknown role/,
    );
    expect(ok({ role: 'CLIENT_ADMIN', clientId: client, customerId: customer, userId: null })).toThrow(
      TenantContextError,
    );
  });
});
