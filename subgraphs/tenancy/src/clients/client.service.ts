import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { withTenant } from '@ciro/db';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  fromGlobalIdOrThrow,
  fromTenantIdOrThrow,
  parseInputOrThrow,
  tenantContextFor,
  tenantContextOf,
  toGlobalId,
  type Page,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { Caller } from '../caller';
import { fields } from '../validation/fields';
import { type Client, type CreateClientInput, type UpdateClientInput } from './client.type';
import {
  findClientByCode,
  findClientById,
  insertClient,
  listVisibleClients,
  updateClientRow,
  type ClientRow,
} from './client.repository';

interface Branding {
  logoUrl?: string | null;
  primaryColor?: string | null;
  secondaryColor?: string | null;
}

export function toClient(row: ClientRow): Client {
  const branding = (row.branding ?? {}) as Branding;
  return {
    id: toGlobalId('Client', row.id, row.id),
    code: row.code,
    name: row.name,
    legalName: row.legalName ?? row.name,
    nit: row.nit,
    nrc: row.nrc,
    address: row.address,
    timeZone: row.timeZone,
    currency: row.currency,
    vatRate: new Decimal(row.vatRate),
    locale: row.locale,
    branding: {
      logoUrl: branding.logoUrl ?? null,
      primaryColor: branding.primaryColor ?? null,
      secondaryColor: branding.secondaryColor ?? null,
    },
    status: row.status,
    createdAt: row.createdAt,
  };
}

/** Decodes a Client id and checks the caller may act in that client. */
export function clientIdOrThrow(caller: Caller, globalId: string): string {
  const { clientId } = fromTenantIdOrThrow('Client', globalId);
  tenantContextFor(caller.identity, clientId);
  return clientId;
}

export async function getClientOrThrow(caller: Caller, globalId: string): Promise<Client> {
  const clientId = clientIdOrThrow(caller, globalId);
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findClientById(tx, clientId),
  );
  if (!row) throw new NotFoundError('Client', globalId);
  return toClient(row);
}

export async function getClientByIdForCaller(caller: Caller, clientId: string): Promise<Client | null> {
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findClientById(tx, clientId),
  );
  return row ? toClient(row) : null;
}

export async function listClients(caller: Caller, page: Page): Promise<{ rows: Client[]; total: number }> {
  const { rows, total } = await withTenant(caller.database, tenantContextOf(caller.identity), (tx) =>
    listVisibleClients(tx, page.limit, page.offset),
  );
  return { rows: rows.map(toClient), total };
}

const brandingSchema = z
  .object({
    logoUrl: z
      .string()
      .max(200_000, 'Logo must be at most 200 kB as a data: URI')
      .refine(
        (v) => v.startsWith('data:image/') || v.startsWith('https://'),
        'Logo must be a data:image/… URI or an https URL',
      )
      .nullish(),
    primaryColor: fields.color.nullish(),
    secondaryColor: fields.color.nullish(),
  })
  .optional();

const createClientSchema = z.object({
  organizationId: z.string().optional(),
  code: fields.code,
  name: fields.name,
  legalName: fields.name,
  nit: fields.nit.optional(),
  nrc: fields.nrc.optional(),
  address: fields.optionalText,
  timeZone: fields.timeZone.default('America/El_Salvador'),
  currency: fields.currency.default('USD'),
  vatRate: fields.fraction.default(new Decimal('0.13')),
  locale: fields.locale.default('es'),
  branding: brandingSchema,
});

export async function createClient(caller: Caller, input: CreateClientInput): Promise<Client> {
  if (caller.identity.role !== 'SYSTEM_ADMIN') {
    throw new ForbiddenError('Only system administrators can create clients');
  }
  const valid = parseInputOrThrow(createClientSchema, input);
  const organizationId = valid.organizationId
    ? fromGlobalIdOrThrow('Organization', valid.organizationId).id
    : caller.identity.orgId;
  if (!organizationId)
    throw new ConflictError('organizationId', 'organizationId is required: the caller has no organization');
  const id = randomUUID();
  const row = await withTenant(caller.database, { ...tenantContextOf(caller.identity), clientId: id }, async (tx) => {
    if (await findClientByCode(tx, valid.code)) {
      throw new ConflictError('code', `A client with code ${valid.code} already exists`);
    }
    const inserted = await insertClient(tx, {
      id,
      organizationId,
      code: valid.code,
      name: valid.name,
      legalName: valid.legalName,
      nit: valid.nit ?? null,
      nrc: valid.nrc ?? null,
      address: valid.address ?? null,
      timeZone: valid.timeZone,
      currency: valid.currency,
      vatRate: valid.vatRate.toFixed(),
      locale: valid.locale,
      branding: valid.branding ?? {},
    });
    await recordAudit(tx, caller, {
      clientId: id,
      action: 'client.create',
      entityType: 'Client',
      entityId: id,
      after: inserted,
    });
    return inserted;
  });
  return toClient(row);
}

const updateClientSchema = z.object({
  id: z.string(),
  name: fields.name.optional(),
  legalName: fields.name.optional(),
  nit: fields.nit.optional(),
  nrc: fields.nrc.optional(),
  address: fields.optionalText,
  timeZone: fields.timeZone.optional(),
  vatRate: fields.fraction.optional(),
  locale: fields.locale.optional(),
  branding: brandingSchema,
  status: z.enum(['ACTIVE', 'SUSPENDED'], { message: 'Must be ACTIVE or SUSPENDED' }).optional(),
});

export async function updateClient(caller: Caller, input: UpdateClientInput): Promise<Client> {
  const clientId = clientIdOrThrow(caller, input.id);
  const valid = parseInputOrThrow(updateClientSchema, input);
  if (valid.status && caller.identity.role !== 'SYSTEM_ADMIN') {
    throw new ForbiddenError('Only system administrators can suspend or reactivate a client');
  }
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const before = await findClientById(tx, clientId);
    if (!before) throw new NotFoundError('Client', input.id);
    const { id: _id, vatRate, branding, ...rest } = valid;
    const updated = await updateClientRow(tx, clientId, {
      ...rest,
      ...(vatRate ? { vatRate: vatRate.toFixed() } : {}),
      ...(branding ? { branding: { ...(before.branding as Branding), ...branding } } : {}),
    });
    if (!updated) throw new NotFoundError('Client', input.id);
    await recordAudit(tx, caller, {
      clientId,
      action: 'client.update',
      entityType: 'Client',
      entityId: clientId,
      before,
      after: updated,
    });
    return updated;
  });
  return toClient(row);
}
