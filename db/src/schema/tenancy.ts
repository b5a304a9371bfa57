import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz, updatedAt } from './columns.js';
import {
  ctx,
  isClientAdmin,
  isSystem,
  systemOnlyPolicies,
  tenantPolicies,
  tenantReadPredicate,
  tenantSystemPredicate,
  tenantWritePredicate,
} from './rls.js';
// Circular with billing.ts (customers → tariffs, invoices → customers); only used
// inside extra-config callbacks, which drizzle evaluates lazily.
import { tariffs } from './billing.js';

export const ROLE_NAMES = ['CLIENT_ADMIN', 'CUSTOMER_USER'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    slug: text('slug').notNull().unique(),
    createdAt: createdAt(),
  },
  () => [
    pgPolicy('organizations_select', {
      for: 'select',
      using: sql.raw(`(${isSystem}) OR id = (SELECT c.organization_id FROM clients c WHERE c.id = ${ctx.clientId})`),
    }),
    pgPolicy('organizations_write', { for: 'all', using: sql.raw(isSystem), withCheck: sql.raw(isSystem) }),
  ],
);

/** A tenant. Its id is the `client_id` of every tenant table. */
export const clients = pgTable(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    legalName: text('legal_name'),
    nit: text('nit'),
    nrc: text('nrc'),
    address: text('address'),
    timeZone: text('time_zone').notNull().default('America/El_Salvador'),
    currency: text('currency').notNull().default('USD'),
    vatRate: numeric('vat_rate', { precision: 7, scale: 6 }).notNull().default('0.13'),
    branding: jsonb('branding').$type<Record<string, unknown>>().notNull().default({}),
    locale: text('locale').notNull().default('es'),
    status: text('status').notNull().default('ACTIVE'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('clients_organization_idx').on(t.organizationId),
    pgPolicy('clients_select', { for: 'select', using: sql.raw(tenantReadPredicate('all', 'id')) }),
    // Client admins may edit their own client (branding, fiscal data); creating and
    // deleting clients is a platform action.
    pgPolicy('clients_update', {
      for: 'update',
      using: sql.raw(tenantWritePredicate('id')),
      withCheck: sql.raw(tenantWritePredicate('id')),
    }),
    pgPolicy('clients_insert', { for: 'insert', withCheck: sql.raw(tenantSystemPredicate('id')) }),
    pgPolicy('clients_delete', { for: 'delete', using: sql.raw(tenantSystemPredicate('id')) }),
  ],
);

const clientId = () =>
  uuid('client_id')
    .notNull()
    .references(() => clients.id);

export const customers = pgTable(
  'customers',
  {
    clientId: clientId(),
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    legalName: text('legal_name'),
    nit: text('nit'),
    nrc: text('nrc'),
    contractNumber: text('contract_number'),
    address: text('address'),
    department: text('department'),
    municipality: text('municipality'),
    contractedKw: numeric('contracted_kw', { precision: 14, scale: 3 }),
    voltageLevel: text('voltage_level'),
    tariffId: uuid('tariff_id'),
    lossFactor: numeric('loss_factor', { precision: 12, scale: 8 }).notNull().default('0'),
    discount: numeric('discount', { precision: 12, scale: 8 }).notNull().default('0'),
    deviationTolerance: numeric('deviation_tolerance', { precision: 12, scale: 8 }),
    paymentTermsDays: integer('payment_terms_days').notNull().default(30),
    billingEmail: text('billing_email'),
    locale: text('locale').notNull().default('es'),
    status: text('status').notNull().default('ACTIVE'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    uniqueIndex('customers_client_code_key').on(t.clientId, t.code),
    index('customers_client_tariff_idx').on(t.clientId, t.tariffId),
    foreignKey({
      name: 'customers_tariff_fk',
      columns: [t.clientId, t.tariffId],
      foreignColumns: [tariffs.clientId, tariffs.id],
    }),
    ...tenantPolicies('customers', { predicate: `id = ${ctx.customerId}` }),
  ],
);

export const meters = pgTable(
  'meters',
  {
    clientId: clientId(),
    id: id(),
    serial: text('serial').notNull(),
    node: text('node'),
    multiplier: numeric('multiplier', { precision: 14, scale: 6 }).notNull().default('1'),
    consumptionChannel: text('consumption_channel').notNull().default('DELIVERED'),
    status: text('status').notNull().default('ACTIVE'),
    columnMapping: jsonb('column_mapping').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    uniqueIndex('meters_client_serial_key').on(t.clientId, t.serial),
    // A customer user sees the meters that count (or counted) for its customer.
    ...tenantPolicies('meters', {
      predicate:
        `EXISTS (SELECT 1 FROM meter_assignments ma WHERE ma.client_id = meters.client_id ` +
        `AND ma.meter_id = meters.id AND ma.customer_id = ${ctx.customerId})`,
    }),
  ],
);

/** Which customer a meter counts for, over [valid_from, valid_to). Overlaps are excluded by a constraint in a custom migration. */
export const meterAssignments = pgTable(
  'meter_assignments',
  {
    clientId: clientId(),
    id: id(),
    meterId: uuid('meter_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    validFrom: timestamptz('valid_from').notNull(),
    validTo: timestamptz('valid_to'),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    foreignKey({
      name: 'meter_assignments_meter_fk',
      columns: [t.clientId, t.meterId],
      foreignColumns: [meters.clientId, meters.id],
    }),
    foreignKey({
      name: 'meter_assignments_customer_fk',
      columns: [t.clientId, t.customerId],
      foreignColumns: [customers.clientId, customers.id],
    }),
    index('meter_assignments_meter_idx').on(t.clientId, t.meterId, t.validFrom),
    index('meter_assignments_customer_idx').on(t.clientId, t.customerId, t.meterId),
    check('meter_assignments_range_check', sql`valid_to IS NULL OR valid_to > valid_from`),
    ...tenantPolicies('meter_assignments', 'own'),
  ],
);

/** Global identity; tenants are reached through role_assignments. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull().unique(),
    passwordHash: text('password_hash'),
    displayName: text('display_name'),
    locale: text('locale').notNull().default('es'),
    isSystemAdmin: boolean('is_system_admin').notNull().default(false),
    mfaSecret: text('mfa_secret'),
    mfaEnabledAt: timestamptz('mfa_enabled_at'),
    /** Last accepted TOTP time step: a code is never accepted twice (RFC 6238 §5.2). */
    mfaLastTimeStep: bigint('mfa_last_time_step', { mode: 'number' }),
    status: text('status').notNull().default('ACTIVE'),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamptz('locked_until'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  () => [
    check('users_email_lowercase_check', sql`email = lower(email)`),
    pgPolicy('users_select', {
      for: 'select',
      using: sql.raw(
        `(${isSystem}) OR id = ${ctx.userId} OR (${isClientAdmin} AND EXISTS (` +
          `SELECT 1 FROM role_assignments ra WHERE ra.user_id = users.id AND ra.client_id = ${ctx.clientId}))`,
      ),
    }),
    // Identity changes (sign-up, password, MFA, lockout) go through asSystem so a
    // request can never edit is_system_admin or another tenant's user.
    pgPolicy('users_write', { for: 'all', using: sql.raw(isSystem), withCheck: sql.raw(isSystem) }),
  ],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    clientId: clientId(),
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ROLE_NAMES }).notNull(),
    customerId: uuid('customer_id'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    unique('role_assignments_unique').on(t.clientId, t.userId, t.role, t.customerId).nullsNotDistinct(),
    index('role_assignments_user_idx').on(t.userId),
    foreignKey({
      name: 'role_assignments_customer_fk',
      columns: [t.clientId, t.customerId],
      foreignColumns: [customers.clientId, customers.id],
    }),
    check('role_assignments_role_check', sql`role IN ('CLIENT_ADMIN', 'CUSTOMER_USER')`),
    check('role_assignments_customer_check', sql`(role = 'CUSTOMER_USER') = (customer_id IS NOT NULL)`),
    ...tenantPolicies('role_assignments', 'own'),
  ],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    revokedAt: timestamptz('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('refresh_tokens_user_idx').on(t.userId),
    index('refresh_tokens_family_idx').on(t.familyId),
    ...systemOnlyPolicies('refresh_tokens'),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    clientId: clientId(),
    id: id(),
    name: text('name').notNull(),
    /** Public, globally unique part of the key, used to find it before checking the hash. */
    prefix: text('prefix').notNull().unique(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    customerId: uuid('customer_id'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at'),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    foreignKey({
      name: 'api_keys_customer_fk',
      columns: [t.clientId, t.customerId],
      foreignColumns: [customers.clientId, customers.id],
    }),
    index('api_keys_client_customer_idx').on(t.clientId, t.customerId),
    ...tenantPolicies('api_keys', 'own'),
  ],
);

const auditColumns = () => ({
  occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
  actorUserId: uuid('actor_user_id'),
  actorApiKeyId: uuid('actor_api_key_id'),
  actorRole: text('actor_role'),
  action: text('action').notNull(),
  entityType: text('entity_type'),
  entityId: text('entity_id'),
  before: jsonb('before'),
  after: jsonb('after'),
  requestId: text('request_id'),
});

/**
 * Append-only: client admins (and system) insert and read their client's entries;
 * nobody updates; only system deletes (retention). Customer users neither read nor
 * write it; their actions are recorded through asSystem.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    clientId: clientId(),
    id: id(),
    ...auditColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    index('audit_log_client_occurred_idx').on(t.clientId, t.occurredAt),
    index('audit_log_client_entity_idx').on(t.clientId, t.entityType, t.entityId),
    pgPolicy('audit_log_select', { for: 'select', using: sql.raw(tenantReadPredicate('none')) }),
    pgPolicy('audit_log_insert', { for: 'insert', withCheck: sql.raw(tenantWritePredicate()) }),
    pgPolicy('audit_log_delete', { for: 'delete', using: sql.raw(`${ctx.role} = 'SYSTEM'`) }),
  ],
);

export const platformAuditLog = pgTable(
  'platform_audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...auditColumns(),
  },
  (t) => [
    index('platform_audit_log_occurred_idx').on(t.occurredAt),
    pgPolicy('platform_audit_log_select', { for: 'select', using: sql.raw(isSystem) }),
    pgPolicy('platform_audit_log_insert', { for: 'insert', withCheck: sql.raw(isSystem) }),
    pgPolicy('platform_audit_log_delete', { for: 'delete', using: sql.raw(`${ctx.role} = 'SYSTEM'`) }),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
export type Client = typeof clients.$inferSelect;
export type NewClient = typeof clients.$inferInsert;
export type Customer = typeof customers.$inferSelect;
export type NewCustomer = typeof customers.$inferInsert;
export type Meter = typeof meters.$inferSelect;
export type NewMeter = typeof meters.$inferInsert;
export type MeterAssignment = typeof meterAssignments.$inferSelect;
export type NewMeterAssignment = typeof meterAssignments.$inferInsert;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type RoleAssignment = typeof roleAssignments.$inferSelect;
export type NewRoleAssignment = typeof roleAssignments.$inferInsert;
export type RefreshToken = typeof refreshTokens.$inferSelect;
export type NewRefreshToken = typeof refreshTokens.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type AuditLogEntry = typeof auditLog.$inferSelect;
export type NewAuditLogEntry = typeof auditLog.$inferInsert;
export type PlatformAuditLogEntry = typeof platformAuditLog.$inferSelect;
export type NewPlatformAuditLogEntry = typeof platformAuditLog.$inferInsert;
