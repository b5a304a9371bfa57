import { schema, type Tx } from '@ciro/db';
import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { MappingOverride } from '../parsing';

export interface MeterInfo {
  id: string;
  serial: string;
  multiplier: string;
  channel: string;
  /** The column mapping an admin confirmed for this meter's files, reused on its next uploads. */
  columnMapping: MappingOverride | null;
}

export interface AssignmentInfo {
  meterId: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  validFrom: Date;
  validTo: Date | null;
}

export async function findClientTimeZone(tx: Tx, clientId: string): Promise<string | null> {
  const [row] = await tx
    .select({ timeZone: schema.clients.timeZone })
    .from(schema.clients)
    .where(eq(schema.clients.id, clientId));
  return row?.timeZone ?? null;
}

export async function listClientMeters(tx: Tx, clientId: string): Promise<MeterInfo[]> {
  return tx
    .select({
      id: schema.meters.id,
      serial: schema.meters.serial,
      multiplier: schema.meters.multiplier,
      channel: schema.meters.consumptionChannel,
      columnMapping: schema.meters.columnMapping,
    })
    .from(schema.meters)
    .where(eq(schema.meters.clientId, clientId))
    .orderBy(asc(schema.meters.serial))
    .then((rows) => rows.map((r) => ({ ...r, columnMapping: (r.columnMapping as MappingOverride | null) ?? null })));
}

/** Remembers the mapping an admin confirmed (by committing an upload with it) for the meter's next files. */
export async function rememberColumnMapping(
  tx: Tx,
  clientId: string,
  meterId: string,
  mapping: MappingOverride,
): Promise<void> {
  await tx
    .update(schema.meters)
    .set({ columnMapping: { ...mapping }, updatedAt: new Date() })
    .where(and(eq(schema.meters.clientId, clientId), eq(schema.meters.id, meterId)));
}

export async function listMeterAssignments(tx: Tx, clientId: string, meterIds: string[]): Promise<AssignmentInfo[]> {
  if (meterIds.length === 0) return [];
  return tx
    .select({
      meterId: schema.meterAssignments.meterId,
      customerId: schema.meterAssignments.customerId,
      customerCode: schema.customers.code,
      customerName: schema.customers.name,
      validFrom: schema.meterAssignments.validFrom,
      validTo: schema.meterAssignments.validTo,
    })
    .from(schema.meterAssignments)
    .innerJoin(
      schema.customers,
      and(
        eq(schema.customers.clientId, schema.meterAssignments.clientId),
        eq(schema.customers.id, schema.meterAssignments.customerId),
      ),
    )
    .where(and(eq(schema.meterAssignments.clientId, clientId), inArray(schema.meterAssignments.meterId, meterIds)))
    .orderBy(asc(schema.meterAssignments.validFrom));
}

/**
 * Serials among `serials` registered by OTHER clients. Runs under asSystem (the caller's
 * context cannot see other tenants): it returns serials only, never which client.
 */
export async function findSerialsOfOtherClients(tx: Tx, clientId: string, serials: string[]): Promise<Set<string>> {
  if (serials.length === 0) return new Set();
  const rows = await tx
    .selectDistinct({ serial: schema.meters.serial })
    .from(schema.meters)
    .where(and(ne(schema.meters.clientId, clientId), inArray(schema.meters.serial, serials)));
  return new Set(rows.map((r) => r.serial));
}

export async function listCustomersByCode(
  tx: Tx,
  clientId: string,
  codes: string[],
): Promise<{ id: string; code: string; name: string }[]> {
  if (codes.length === 0) return [];
  return tx
    .select({ id: schema.customers.id, code: schema.customers.code, name: schema.customers.name })
    .from(schema.customers)
    .where(and(eq(schema.customers.clientId, clientId), inArray(schema.customers.code, codes)));
}
