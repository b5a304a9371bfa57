import { randomUUID } from 'node:crypto';
import { schema, withTenant, type Tx } from '@ciro/db';
import { assertClientAdmin, tenantContextFor, type FieldProblem } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { Caller } from '../caller';
import { fields } from '../validation/fields';
import { customerTermsSchema, termsToRow } from './customer-terms';
import { findCustomer, insertCustomer, updateCustomerRow, type CustomerRow } from './customer.repository';
import { toCustomer } from './customer.service';
import type { Customer } from './customer.type';

/** One customer of a bulk upsert, keyed by its business code, with the meters that count for it. */
export interface CustomerUpsert {
  code: string;
  name: string;
  nit?: string;
  nrc?: string;
  contractNumber?: string;
  address?: string;
  department?: string;
  municipality?: string;
  contractedKw?: Decimal | null;
  voltageLevel?: string;
  tariffCode?: string;
  lossFactor?: Decimal;
  discount?: Decimal;
  deviationTolerance?: Decimal | null;
  paymentTermsDays?: number;
  billingEmail?: string;
  locale?: string;
  meters?: { serial: string; node?: string | null; multiplier?: Decimal; consumptionChannel?: string }[];
}

export interface CustomerImportResult {
  created: number;
  updated: number;
  unchanged: number;
  metersCreated: number;
  customers: Customer[];
  /** Rows that were not imported, each problem naming `customers.<index>.<field>`. */
  problems: FieldProblem[];
}

export const MAX_CUSTOMERS_PER_IMPORT = 2000;

/** A meter seen for the first time counts for its customer from the start; assignMeter records later swaps. */
const FIRST_ASSIGNMENT_FROM = new Date(0);

const meterSchema = z.object({
  serial: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'A meter serial is 1–40 letters, digits, dots or dashes'),
  node: z.string().trim().max(200).nullish(),
  multiplier: fields.positiveDecimal.optional(),
  consumptionChannel: z.enum(['DELIVERED', 'RECEIVED'], { message: 'Must be DELIVERED or RECEIVED' }).optional(),
});

const rowSchema = customerTermsSchema.omit({ contractedKw: true, deviationTolerance: true }).extend({
  code: fields.code,
  name: fields.name,
  contractedKw: fields.nonNegativeDecimal.nullish(),
  deviationTolerance: fields.fraction.nullish(),
  meters: z.array(meterSchema).max(50, 'At most 50 meters per customer').default([]),
});
type ValidRow = z.infer<typeof rowSchema>;

function problemsOf(index: number, issues: z.core.$ZodIssue[]): FieldProblem[] {
  return issues.map((issue) => ({
    field: ['customers', index, ...issue.path].map(String).join('.'),
    message: issue.message,
  }));
}

interface MeterState {
  id: string;
  node: string | null;
  multiplier: string;
  consumptionChannel: string;
  openCustomerId: string | null;
}

async function loadMeters(tx: Tx, clientId: string): Promise<Map<string, MeterState>> {
  const meters = await tx.select().from(schema.meters).where(eq(schema.meters.clientId, clientId));
  const open = await tx
    .select()
    .from(schema.meterAssignments)
    .where(and(eq(schema.meterAssignments.clientId, clientId), isNull(schema.meterAssignments.validTo)));
  const openByMeter = new Map(open.map((a) => [a.meterId, a.customerId]));
  return new Map(
    meters.map((m) => [
      m.serial,
      {
        id: m.id,
        node: m.node,
        multiplier: m.multiplier,
        consumptionChannel: m.consumptionChannel,
        openCustomerId: openByMeter.get(m.id) ?? null,
      },
    ]),
  );
}

const NUMERIC_COLUMNS = new Set<keyof CustomerRow>(['contractedKw', 'lossFactor', 'discount', 'deviationTolerance']);

/** True when applying `patch` would change nothing (numeric columns compared as decimals: "0.02" = "0.02000000"). */
function sameColumns(before: CustomerRow, patch: Partial<CustomerRow>): boolean {
  return Object.entries(patch).every(([key, next]) => {
    const current = before[key as keyof CustomerRow];
    if (NUMERIC_COLUMNS.has(key as keyof CustomerRow) && typeof current === 'string' && typeof next === 'string') {
      return new Decimal(current).eq(next);
    }
    return (current ?? null) === (next ?? null);
  });
}

/**
 * Creates or updates customers by code, with their meters, in one transaction.
 * Invalid rows are reported and skipped; valid rows are imported. Importing the
 * same data twice changes nothing.
 */
export async function upsertCustomers(
  caller: Caller,
  clientId: string,
  rows: readonly CustomerUpsert[],
): Promise<CustomerImportResult> {
  assertClientAdmin(caller.identity, clientId);
  const problems: FieldProblem[] = [];
  if (rows.length > MAX_CUSTOMERS_PER_IMPORT) {
    return {
      created: 0,
      updated: 0,
      unchanged: 0,
      metersCreated: 0,
      customers: [],
      problems: [{ field: 'customers', message: `At most ${MAX_CUSTOMERS_PER_IMPORT} customers per import` }],
    };
  }
  const valid: { index: number; row: ValidRow }[] = [];
  const seenCodes = new Map<string, number>();
  const seenSerials = new Map<string, number>();
  rows.forEach((raw, index) => {
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...problemsOf(index, parsed.error.issues));
      return;
    }
    const firstIndex = seenCodes.get(parsed.data.code);
    if (firstIndex !== undefined) {
      problems.push({
        field: `customers.${index}.code`,
        message: `Code ${parsed.data.code} already appears at customers.${firstIndex}`,
      });
      return;
    }
    const clash = parsed.data.meters.findIndex((m) => seenSerials.has(m.serial));
    if (clash >= 0) {
      problems.push({
        field: `customers.${index}.meters.${clash}.serial`,
        message: `Meter ${parsed.data.meters[clash].serial} is also listed at customers.${seenSerials.get(parsed.data.meters[clash].serial)}`,
      });
      return;
    }
    seenCodes.set(parsed.data.code, index);
    parsed.data.meters.forEach((m) => seenSerials.set(m.serial, index));
    valid.push({ index, row: parsed.data });
  });

  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const tariffs = await tx.select().from(schema.tariffs).where(eq(schema.tariffs.clientId, clientId));
    const tariffIdByCode = new Map(tariffs.map((t) => [t.code, t.id]));
    const existing = await tx.select().from(schema.customers).where(eq(schema.customers.clientId, clientId));
    const byCode = new Map(existing.map((c) => [c.code, c]));
    const meters = await loadMeters(tx, clientId);
    const result: CustomerImportResult = {
      created: 0,
      updated: 0,
      unchanged: 0,
      metersCreated: 0,
      customers: [],
      problems,
    };

    for (const { index, row } of valid) {
      const before = byCode.get(row.code);
      if (row.tariffCode !== undefined && !tariffIdByCode.has(row.tariffCode)) {
        problems.push({
          field: `customers.${index}.tariffCode`,
          message: `Unknown tariff "${row.tariffCode}": create it first or use an existing tariff code`,
        });
        continue;
      }
      const taken = row.meters.findIndex((m) => {
        const meter = meters.get(m.serial);
        return meter?.openCustomerId && meter.openCustomerId !== before?.id;
      });
      if (taken >= 0) {
        problems.push({
          field: `customers.${index}.meters.${taken}.serial`,
          message: `Meter ${row.meters[taken].serial} counts for another customer now: move it with assignMeter, giving the date of the swap`,
        });
        continue;
      }

      const { meters: meterRows, code, contractedKw, deviationTolerance, ...terms } = row;
      const columns = await termsToRow(terms, (tariffCode) => Promise.resolve(tariffIdByCode.get(tariffCode) ?? null));
      if (contractedKw !== undefined) columns.contractedKw = contractedKw?.toFixed() ?? null;
      if (deviationTolerance !== undefined) columns.deviationTolerance = deviationTolerance?.toFixed() ?? null;

      let customerId: string;
      if (!before) {
        const inserted = await insertCustomer(tx, { ...columns, clientId, id: randomUUID(), code, name: row.name });
        await recordAudit(tx, caller, {
          clientId,
          action: 'customer.import.create',
          entityType: 'Customer',
          entityId: inserted.id,
          after: inserted,
        });
        customerId = inserted.id;
        result.created += 1;
      } else if (sameColumns(before, columns)) {
        customerId = before.id;
        result.unchanged += 1;
      } else {
        const updated = await updateCustomerRow(tx, clientId, before.id, columns);
        await recordAudit(tx, caller, {
          clientId,
          action: 'customer.import.update',
          entityType: 'Customer',
          entityId: before.id,
          before,
          after: updated,
        });
        customerId = before.id;
        result.updated += 1;
      }

      let metersChanged = false;
      for (const meter of meterRows) {
        const current = meters.get(meter.serial);
        const wanted = {
          node: meter.node ?? current?.node ?? null,
          multiplier: (meter.multiplier ?? null)?.toFixed() ?? current?.multiplier ?? '1',
          consumptionChannel: meter.consumptionChannel ?? current?.consumptionChannel ?? 'DELIVERED',
        };
        if (!current) {
          const id = randomUUID();
          await tx.insert(schema.meters).values({ clientId, id, serial: meter.serial, ...wanted });
          await tx
            .insert(schema.meterAssignments)
            .values({ clientId, meterId: id, customerId, validFrom: FIRST_ASSIGNMENT_FROM });
          await recordAudit(tx, caller, {
            clientId,
            action: 'meter.import.create',
            entityType: 'Meter',
            entityId: id,
            after: { serial: meter.serial, ...wanted, customerId },
          });
          meters.set(meter.serial, { id, ...wanted, openCustomerId: customerId });
          result.metersCreated += 1;
          metersChanged = true;
          continue;
        }
        const differs =
          current.node !== wanted.node ||
          Number(current.multiplier) !== Number(wanted.multiplier) ||
          current.consumptionChannel !== wanted.consumptionChannel;
        if (differs) {
          await tx
            .update(schema.meters)
            .set({ ...wanted, updatedAt: new Date() })
            .where(and(eq(schema.meters.clientId, clientId), eq(schema.meters.id, current.id)));
          await recordAudit(tx, caller, {
            clientId,
            action: 'meter.import.update',
            entityType: 'Meter',
            entityId: current.id,
            before: current,
            after: wanted,
          });
          metersChanged = true;
        }
        if (!current.openCustomerId) {
          await tx
            .insert(schema.meterAssignments)
            .values({ clientId, meterId: current.id, customerId, validFrom: new Date() });
          metersChanged = true;
        }
        meters.set(meter.serial, { ...current, ...wanted, openCustomerId: customerId });
      }
      if (metersChanged && before && sameColumns(before, columns)) {
        // The customer's own columns did not change but its meters did: it was updated.
        result.unchanged -= 1;
        result.updated += 1;
      }

      const saved = await findCustomer(tx, clientId, customerId);
      if (saved) result.customers.push(toCustomer(saved));
    }
    return result;
  });
}
