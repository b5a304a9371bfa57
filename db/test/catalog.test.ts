import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * Walks the catalog as the app role: every table must have forced RLS and at least
 * one policy, and the app role must not be able to step around them.
 */

/** Tables without a client_id column that still hold protected data. */
const GLOBAL_TABLES = ['organizations', 'clients', 'users', 'refresh_tokens', 'platform_audit_log'];

const EXPECTED_TABLES = [
  ...GLOBAL_TABLES,
  'customers',
  'meters',
  'meter_assignments',
  'role_assignments',
  'api_keys',
  'audit_log',
  'uploads',
  'meter_readings',
  'forecasts',
  'readings_hourly',
  'readings_daily',
  'tariffs',
  'tariff_blocks',
  'holidays',
  'rate_sets',
  'rate_set_block_rates',
  'billing_periods',
  'billing_runs',
  'billing_run_customers',
  'invoices',
  'invoice_lines',
  'invoice_number_sequences',
  'adjustments',
  'payments',
];

interface TableRow {
  name: string;
  kind: string;
  is_partition: boolean;
  rls: boolean;
  forced: boolean;
  has_client_id: boolean;
  policies: number;
  owner: string;
}

let sql: postgres.Sql;
let tables: TableRow[];

beforeAll(async () => {
  sql = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} });
  tables = await sql<TableRow[]>`
    select c.relname as name, c.relkind::text as kind, c.relispartition as is_partition,
           c.relrowsecurity as rls, c.relforcerowsecurity as forced,
           exists (select 1 from pg_attribute a
                   where a.attrelid = c.oid and a.attname = 'client_id' and not a.attisdropped) as has_client_id,
           (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies,
           pg_get_userbyid(c.relowner) as owner
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`;
});

afterAll(async () => {
  await sql?.end();
});

describe('catalog', () => {
  it('has every table of the data model in the public schema', () => {
    const names = tables.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(EXPECTED_TABLES));
  });

  it('forces row-level security with at least one policy on every table that has client_id or is a protected global table', () => {
    const protectedTables = tables.filter((t) => t.has_client_id || GLOBAL_TABLES.includes(t.name));
    expect(protectedTables.length).toBeGreaterThanOrEqual(EXPECTED_TABLES.length);
    const unprotected = protectedTables
      .filter((t) => !t.rls || !t.forced || t.policies === 0)
      .map((t) => `${t.name} (rls=${t.rls}, forced=${t.forced}, policies=${t.policies})`);
    expect(unprotected).toEqual([]);
  });

  it('has no table outside that set, so a new global table must be added here deliberately', () => {
    const unknown = tables.filter((t) => !t.has_client_id && !GLOBAL_TABLES.includes(t.name)).map((t) => t.name);
    expect(unknown).toEqual([]);
  });

  it('protects each meter_readings partition like its parent', () => {
    const partitions = tables.filter((t) => t.is_partition && t.name.startsWith('meter_readings_'));
    expect(partitions.map((p) => p.name)).toContain('meter_readings_default');
    const parent = tables.find((t) => t.name === 'meter_readings');
    expect(parent?.kind).toBe('p');
    for (const partition of partitions) {
      expect({
        name: partition.name,
        rls: partition.rls,
        forced: partition.forced,
        policies: partition.policies,
      }).toEqual({
        name: partition.name,
        rls: true,
        forced: true,
        policies: parent?.policies,
      });
    }
  });

  it('connects tests as an app role that is not superuser, has no BYPASSRLS and is not a member of the owner', async () => {
    const owner = tables.find((t) => t.name === 'customers')?.owner;
    const [role] = await sql<{ name: string; superuser: boolean; bypassrls: boolean; member_of_owner: boolean }[]>`
      select rolname as name, rolsuper as superuser, rolbypassrls as bypassrls,
             pg_has_role(current_user, ${owner ?? ''}, 'MEMBER') as member_of_owner
      from pg_roles where rolname = current_user`;
    expect(role).toEqual({ name: expect.any(String), superuser: false, bypassrls: false, member_of_owner: false });
    expect(role?.name).not.toBe(owner);
  });

  it('lets the app role own no table, sequence, function, schema or database', async () => {
    const [owned] = await sql<{ relations: number; functions: number; schemas: number; databases: number }[]>`
      select (select count(*)::int from pg_class where relowner = r.oid) as relations,
             (select count(*)::int from pg_proc where proowner = r.oid) as functions,
             (select count(*)::int from pg_namespace where nspowner = r.oid) as schemas,
             (select count(*)::int from pg_database where datdba = r.oid) as databases
      from pg_roles r where r.rolname = current_user`;
    expect(owned).toEqual({ relations: 0, functions: 0, schemas: 0, databases: 0 });
  });

  it('runs every table owner without superuser or BYPASSRLS, so FORCE binds the owner too', async () => {
    const owners = await sql<{ owner: string; superuser: boolean; bypassrls: boolean }[]>`
      select distinct r.rolname as owner, r.rolsuper as superuser, r.rolbypassrls as bypassrls
      from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_roles r on r.oid = c.relowner
      where n.nspname = 'public' and c.relkind in ('r', 'p')`;
    expect(owners).toEqual([{ owner: expect.any(String), superuser: false, bypassrls: false }]);
  });

  it('grants the app role DML on every table but never TRUNCATE (which ignores RLS)', async () => {
    const privileges = await sql<{ name: string; dml: boolean; truncate: boolean }[]>`
      select c.relname as name,
             has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE') as dml,
             has_table_privilege(c.oid, 'TRUNCATE') as truncate
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`;
    expect(privileges.filter((p) => !p.dml || p.truncate)).toEqual([]);
  });

  it('lets the app role (and not PUBLIC) run the owner-owned SECURITY DEFINER ensure_meter_reading_partitions', async () => {
    const [fn] = await sql<{ secdef: boolean; owner: string; can_execute: boolean; public_execute: boolean }[]>`
      select p.prosecdef as secdef, pg_get_userbyid(p.proowner) as owner,
             has_function_privilege(p.oid, 'EXECUTE') as can_execute,
             exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0) as public_execute
      from pg_proc p where p.proname = 'ensure_meter_reading_partitions'`;
    expect(fn).toEqual({
      secdef: true,
      owner: tables.find((t) => t.name === 'meter_readings')?.owner,
      can_execute: true,
      public_execute: false,
    });
  });
});
