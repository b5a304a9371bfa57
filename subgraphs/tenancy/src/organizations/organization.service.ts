import { randomUUID } from 'node:crypto';
import { schema, withTenant } from '@ciro/db';
import { ConflictError, ForbiddenError, parseInputOrThrow, tenantContextOf, toGlobalId } from '@ciro/subgraph-common';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { Caller } from '../caller';
import { fields } from '../validation/fields';
import type { CreateOrganizationInput, Organization } from './organization.type';

type OrganizationRow = typeof schema.organizations.$inferSelect;

function toOrganization(row: OrganizationRow): Organization {
  return { id: toGlobalId('Organization', null, row.id), name: row.name, slug: row.slug, createdAt: row.createdAt };
}

function assertSystemAdmin(caller: Caller): void {
  if (caller.identity.role !== 'SYSTEM_ADMIN')
    throw new ForbiddenError('Only system administrators manage organizations');
}

export async function listOrganizations(caller: Caller): Promise<Organization[]> {
  assertSystemAdmin(caller);
  const rows = await withTenant(caller.database, tenantContextOf(caller.identity), (tx) =>
    tx.select().from(schema.organizations).orderBy(asc(schema.organizations.name)),
  );
  return rows.map(toOrganization);
}

const createSchema = z.object({
  name: fields.name,
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'Use 2–41 lowercase letters, digits or dashes, e.g. "ciro"'),
});

export async function createOrganization(caller: Caller, input: CreateOrganizationInput): Promise<Organization> {
  assertSystemAdmin(caller);
  const valid = parseInputOrThrow(createSchema, input);
  return withTenant(caller.database, tenantContextOf(caller.identity), async (tx) => {
    const [existing] = await tx.select().from(schema.organizations).where(eq(schema.organizations.slug, valid.slug));
    if (existing) throw new ConflictError('slug', `Organization slug ${valid.slug} is taken`);
    const [row] = await tx
      .insert(schema.organizations)
      .values({ id: randomUUID(), name: valid.name, slug: valid.slug })
      .returning();
    if (!row) throw new Error('insert into organizations returned no row');
    await recordAudit(tx, caller, {
      clientId: null,
      action: 'organization.create',
      entityType: 'Organization',
      entityId: row.id,
      after: row,
    });
    return toOrganization(row);
  });
}
