/**
 * The one place where roles map to scopes. A field declares the scopes it
 * accepts with `@Scopes(...)`; a caller passes when it holds ANY of them.
 * Scopes ending in `:own` grant the same operation restricted to the caller's
 * own customer; services then narrow the data to that customer.
 */
export const SCOPES = [
  'profile:read',
  'organizations:read',
  'organizations:write',
  'clients:read',
  'clients:write',
  'customers:read',
  'customers:read:own',
  'customers:write',
  'meters:read',
  'meters:read:own',
  'meters:write',
  'users:read',
  'users:write',
  'api-keys:read',
  'api-keys:write',
  'audit:read',
  'readings:upload',
  'readings:read',
  'readings:write',
  'consumption:read',
  'consumption:read:own',
  'tariffs:read',
  'tariffs:write',
  'billing:read',
  'billing:run',
  'invoices:read',
  'invoices:read:own',
  'invoices:write',
  'payments:write',
] as const;

export type Scope = (typeof SCOPES)[number];

export const ROLES = ['SYSTEM_ADMIN', 'CLIENT_ADMIN', 'CUSTOMER_USER'] as const;
export type Role = (typeof ROLES)[number];

const CLIENT_ADMIN_SCOPES: readonly Scope[] = [
  'profile:read',
  'clients:read',
  'customers:read',
  'customers:write',
  'meters:read',
  'meters:write',
  'users:read',
  'users:write',
  'api-keys:read',
  'api-keys:write',
  'audit:read',
  'readings:upload',
  'readings:read',
  'readings:write',
  'consumption:read',
  'tariffs:read',
  'tariffs:write',
  'billing:read',
  'billing:run',
  'invoices:read',
  'invoices:write',
  'payments:write',
];

const CUSTOMER_USER_SCOPES: readonly Scope[] = [
  'profile:read',
  'customers:read:own',
  'meters:read:own',
  'consumption:read:own',
  'invoices:read:own',
];

export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  SYSTEM_ADMIN: SCOPES,
  CLIENT_ADMIN: CLIENT_ADMIN_SCOPES,
  CUSTOMER_USER: CUSTOMER_USER_SCOPES,
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Scopes an API key may carry: never more than the role it acts as. */
export function scopesAllowedFor(role: Role): readonly Scope[] {
  return ROLE_SCOPES[role];
}

export function hasAnyScope(held: readonly string[], required: readonly string[]): boolean {
  if (required.length === 0) return true;
  return required.some((scope) => held.includes(scope));
}
