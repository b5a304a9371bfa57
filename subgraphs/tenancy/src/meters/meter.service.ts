import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { withTenant, type Tx } from '@ciro/db';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  assertClientAdmin,
  fromTenantIdOrThrow,
  parseInputOrThrow,
  tenantContextFor,
  toGlobalId,
  type Page,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { Caller } from '../caller';
import { clientIdOrThrow } from '../clients/client.service';
import { findCustomer } from '../customers/customer.repository';
import { fields } from '../validation/fields';
import {
  ConsumptionChannel,
  type AssignMeterInput,
  type CreateMeterInput,
  type Meter,
  type UpdateMeterInput,
} from './meter.type';
import {
  findMeter,
  findMeterBySerial,
  insertMeter,
  listAssignments,
  listCustomerMeters,
  listMeters,
  reassignMeter,
  updateMeterRow,
  type MeterAssignmentRow,
  type MeterRow,
} from './meter.repository';

function toMeter(row: MeterRow, assignments: MeterAssignmentRow[]): Meter {
  return {
    id: toGlobalId('Meter', row.clientId, row.id),
    clientId: row.clientId,
    meterId: row.id,
    serial: row.serial,
    node: row.node,
    multiplier: new Decimal(row.multiplier),
    consumptionChannel: row.consumptionChannel as ConsumptionChannel,
    status: row.status,
    assignments: assignments
      .filter((a) => a.meterId === row.id)
      .map((a) => ({
        customerId: toGlobalId('Customer', a.clientId, a.customerId),
        validFrom: a.validFrom,
        validTo: a.validTo,
      })),
  };
}

async function withAssignments(tx: Tx, clientId: string, rows: MeterRow[]): Promise<Meter[]> {
  const assignments = await listAssignments(
    tx,
    clientId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toMeter(row, assignments));
}

/**
 * Decodes a Meter id and checks the tenant. Customer users may read a meter
 * only while it is assigned to them, which RLS enforces (the row is invisible
 * otherwise), so here only the client is compared.
 */
function meterIdsOrThrow(caller: Caller, globalId: string): { clientId: string; meterId: string } {
  const { clientId, id } = fromTenantIdOrThrow('Meter', globalId);
  tenantContextFor(caller.identity, clientId);
  return { clientId, meterId: id };
}

export async function getMeterOrThrow(caller: Caller, globalId: string): Promise<Meter> {
  const { clientId, meterId } = meterIdsOrThrow(caller, globalId);
  const meter = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findMeter(tx, clientId, meterId);
    return row ? (await withAssignments(tx, clientId, [row]))[0] : undefined;
  });
  if (!meter) {
    if (caller.identity.role === 'CUSTOMER_USER') throw new ForbiddenError('This meter belongs to another customer');
    throw new NotFoundError('Meter', globalId);
  }
  return meter;
}

export async function listClientMeters(
  caller: Caller,
  clientId: string,
  page: Page,
): Promise<{ rows: Meter[]; total: number }> {
  assertClientAdmin(caller.identity, clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const { rows, total } = await listMeters(tx, clientId, page.limit, page.offset);
    return { rows: await withAssignments(tx, clientId, rows), total };
  });
}

export async function listMetersOfCustomer(caller: Caller, clientId: string, customerId: string): Promise<Meter[]> {
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) =>
    withAssignments(tx, clientId, await listCustomerMeters(tx, clientId, customerId)),
  );
}

const serialField = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'A meter serial is 1–40 letters, digits, dots or dashes, e.g. "5614086"');

const createSchema = z.object({
  clientId: z.string(),
  serial: serialField,
  node: fields.optionalText,
  multiplier: fields.positiveDecimal.default(new Decimal(1)),
  consumptionChannel: z.enum(ConsumptionChannel).default(ConsumptionChannel.DELIVERED),
  customerId: z.string().optional(),
  assignedFrom: z.date().optional(),
});

async function customerOfClientOrThrow(tx: Tx, clientId: string, customerGlobalId: string): Promise<string> {
  const decoded = fromTenantIdOrThrow('Customer', customerGlobalId);
  if (decoded.clientId !== clientId) {
    throw new BadUserInputError('customerId', 'customerId must be a customer of the same client as the meter');
  }
  if (!(await findCustomer(tx, clientId, decoded.id))) {
    throw new BadUserInputError('customerId', `Customer ${customerGlobalId} does not exist`);
  }
  return decoded.id;
}

export async function createMeter(caller: Caller, input: CreateMeterInput): Promise<Meter> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const valid = parseInputOrThrow(createSchema, input);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (await findMeterBySerial(tx, clientId, valid.serial)) {
      throw new ConflictError('serial', `Meter serial ${valid.serial} is already registered in this client`);
    }
    const row = await insertMeter(tx, {
      clientId,
      id: randomUUID(),
      serial: valid.serial,
      node: valid.node ?? null,
      multiplier: valid.multiplier.toFixed(),
      consumptionChannel: valid.consumptionChannel,
    });
    if (valid.customerId) {
      const customerId = await customerOfClientOrThrow(tx, clientId, valid.customerId);
      await reassignMeter(tx, clientId, row.id, customerId, valid.assignedFrom ?? new Date());
    }
    await recordAudit(tx, caller, {
      clientId,
      action: 'meter.create',
      entityType: 'Meter',
      entityId: row.id,
      after: row,
    });
    const [meter] = await withAssignments(tx, clientId, [row]);
    if (!meter) throw new Error('created meter is not visible');
    return meter;
  });
}

const updateSchema = z.object({
  id: z.string(),
  node: fields.optionalText,
  multiplier: fields.positiveDecimal.optional(),
  consumptionChannel: z.enum(ConsumptionChannel).optional(),
  status: z.enum(['ACTIVE', 'RETIRED'], { message: 'Must be ACTIVE or RETIRED' }).optional(),
});

export async function updateMeter(caller: Caller, input: UpdateMeterInput): Promise<Meter> {
  const { clientId, meterId } = meterIdsOrThrow(caller, input.id);
  assertClientAdmin(caller.identity, clientId);
  const valid = parseInputOrThrow(updateSchema, input);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const before = await findMeter(tx, clientId, meterId);
    if (!before) throw new NotFoundError('Meter', input.id);
    const updated = await updateMeterRow(tx, clientId, meterId, {
      ...(valid.node !== undefined ? { node: valid.node } : {}),
      ...(valid.multiplier ? { multiplier: valid.multiplier.toFixed() } : {}),
      ...(valid.consumptionChannel ? { consumptionChannel: valid.consumptionChannel } : {}),
      ...(valid.status ? { status: valid.status } : {}),
    });
    if (!updated) throw new NotFoundError('Meter', input.id);
    await recordAudit(tx, caller, {
      clientId,
      action: 'meter.update',
      entityType: 'Meter',
      entityId: meterId,
      before,
      after: updated,
    });
    const [meter] = await withAssignments(tx, clientId, [updated]);
    if (!meter) throw new NotFoundError('Meter', input.id);
    return meter;
  });
}

export async function assignMeter(caller: Caller, input: AssignMeterInput): Promise<Meter> {
  const { clientId, meterId } = meterIdsOrThrow(caller, input.meterId);
  assertClientAdmin(caller.identity, clientId);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const row = await findMeter(tx, clientId, meterId);
    if (!row) throw new NotFoundError('Meter', input.meterId);
    const customerId = await customerOfClientOrThrow(tx, clientId, input.customerId);
    const before = await listAssignments(tx, clientId, [meterId]);
    const open = before.find((a) => a.validTo === null);
    if (open && input.validFrom <= open.validFrom) {
      throw new BadUserInputError(
        'validFrom',
        `validFrom must be after the start of the current assignment (${open.validFrom.toISOString()})`,
      );
    }
    await reassignMeter(tx, clientId, meterId, customerId, input.validFrom);
    await recordAudit(tx, caller, {
      clientId,
      action: 'meter.assign',
      entityType: 'Meter',
      entityId: meterId,
      before,
      after: { customerId, validFrom: input.validFrom },
    });
    const [meter] = await withAssignments(tx, clientId, [row]);
    if (!meter) throw new NotFoundError('Meter', input.meterId);
    return meter;
  });
}
