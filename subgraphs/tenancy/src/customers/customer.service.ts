import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { withTenant, type Tx } from '@ciro/db';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  assertClientAdmin,
  assertCustomerAccess,
  fromTenantIdOrThrow,
  parseInputOrThrow,
  tenantContextFor,
  toGlobalId,
  BadUserInputError,
  type Page,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { Caller } from '../caller';
import { clientIdOrThrow } from '../clients/client.service';
import { fields } from '../validation/fields';
import type { CreateCustomerInput, Customer, UpdateCustomerInput } from './customer.type';
import {
  findCustomer,
  findCustomerByCode,
  findTariffIdByCode,
  insertCustomer,
  listCustomers,
  updateCustomerRow,
  type CustomerWithTariff,
  type NewCustomerRow,
} from './customer.repository';

export function toCustomer({ customer: row, tariffCode }: CustomerWithTariff): Customer {
  return {
    id: toGlobalId('Customer', row.clientId, row.id),
    clientId: row.clientId,
    customerId: row.id,
    code: row.code,
    name: row.name,
    nit: row.nit,
    nrc: row.nrc,
    contractNumber: row.contractNumber,
    address: row.address,
    department: row.department,
    municipality: row.municipality,
    contractedKw: row.contractedKw === null ? null : new Decimal(row.contractedKw),
    voltageLevel: row.voltageLevel,
    tariffCode,
    lossFactor: new Decimal(row.lossFactor),
    discount: new Decimal(row.discount),
    deviationTolerance: row.deviationTolerance === null ? null : new Decimal(row.deviationTolerance),
    paymentTermsDays: row.paymentTermsDays,
    billingEmail: row.billingEmail,
    locale: row.locale,
    status: row.status,
    createdAt: row.createdAt,
  };
}

/** Decodes a Customer id and checks the caller may see that customer. */
export function customerIdsOrThrow(caller: Caller, globalId: string): { clientId: string; customerId: string } {
  const { clientId, id } = fromTenantIdOrThrow('Customer', globalId);
  assertCustomerAccess(caller.identity, clientId, id);
  return { clientId, customerId: id };
}

export async function getCustomerOrThrow(caller: Caller, globalId: string): Promise<Customer> {
  const { clientId, customerId } = customerIdsOrThrow(caller, globalId);
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findCustomer(tx, clientId, customerId),
  );
  if (!row) throw new NotFoundError('Customer', globalId);
  return toCustomer(row);
}

export async function listClientCustomers(
  caller: Caller,
  clientId: string,
  page: Page,
  search?: string,
): Promise<{ rows: Customer[]; total: number }> {
  assertClientAdmin(caller.identity, clientId);
  const { rows, total } = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    listCustomers(tx, clientId, { ...page, ...(search ? { search } : {}) }),
  );
  return { rows: rows.map(toCustomer), total };
}

const termsSchema = z.object({
  name: fields.name.optional(),
  nit: fields.nit.optional(),
  nrc: fields.nrc.optional(),
  contractNumber: fields.optionalText,
  address: fields.optionalText,
  department: fields.optionalText,
  municipality: fields.optionalText,
  contractedKw: fields.nonNegativeDecimal.optional(),
  voltageLevel: fields.optionalText,
  tariffCode: z.string().trim().min(1, 'Must not be empty').optional(),
  lossFactor: fields.fraction.optional(),
  discount: fields.fraction.optional(),
  deviationTolerance: fields.fraction.optional(),
  paymentTermsDays: z.number().int().min(0, 'Must be 0 or more days').max(365, 'At most 365 days').optional(),
  billingEmail: fields.email.optional(),
  locale: fields.locale.optional(),
});

const createSchema = termsSchema.extend({ clientId: z.string(), code: fields.code, name: fields.name });
const updateSchema = termsSchema.extend({
  id: z.string(),
  status: z.enum(['ACTIVE', 'INACTIVE'], { message: 'Must be ACTIVE or INACTIVE' }).optional(),
});

type Terms = z.infer<typeof termsSchema>;

async function termsToRow(tx: Tx, clientId: string, terms: Terms): Promise<Partial<NewCustomerRow>> {
  const row: Partial<NewCustomerRow> = {};
  if (terms.name !== undefined) row.name = terms.name;
  if (terms.nit !== undefined) row.nit = terms.nit;
  if (terms.nrc !== undefined) row.nrc = terms.nrc;
  if (terms.contractNumber !== undefined) row.contractNumber = terms.contractNumber;
  if (terms.address !== undefined) row.address = terms.address;
  if (terms.department !== undefined) row.department = terms.department;
  if (terms.municipality !== undefined) row.municipality = terms.municipality;
  if (terms.contractedKw !== undefined) row.contractedKw = terms.contractedKw.toFixed();
  if (terms.voltageLevel !== undefined) row.voltageLevel = terms.voltageLevel;
  if (terms.lossFactor !== undefined) row.lossFactor = terms.lossFactor.toFixed();
  if (terms.discount !== undefined) row.discount = terms.discount.toFixed();
  if (terms.deviationTolerance !== undefined) row.deviationTolerance = terms.deviationTolerance.toFixed();
  if (terms.paymentTermsDays !== undefined) row.paymentTermsDays = terms.paymentTermsDays;
  if (terms.billingEmail !== undefined) row.billingEmail = terms.billingEmail;
  if (terms.locale !== undefined) row.locale = terms.locale;
  if (terms.tariffCode !== undefined) {
    const tariffId = await findTariffIdByCode(tx, clientId, terms.tariffCode);
    if (!tariffId) {
      throw new BadUserInputError(
        'tariffCode',
        `Unknown tariff "${terms.tariffCode}": create it first or use an existing tariff code`,
      );
    }
    row.tariffId = tariffId;
  }
  return row;
}

export async function createCustomer(caller: Caller, input: CreateCustomerInput): Promise<Customer> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const valid = parseInputOrThrow(createSchema, input);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (await findCustomerByCode(tx, clientId, valid.code)) {
      throw new ConflictError('code', `Customer code ${valid.code} is already used in this client`);
    }
    const inserted = await insertCustomer(tx, {
      ...(await termsToRow(tx, clientId, valid)),
      clientId,
      id: randomUUID(),
      code: valid.code,
      name: valid.name,
    });
    await recordAudit(tx, caller, {
      clientId,
      action: 'customer.create',
      entityType: 'Customer',
      entityId: inserted.id,
      after: inserted,
    });
    const created = await findCustomer(tx, clientId, inserted.id);
    if (!created) throw new Error('created customer is not visible');
    return toCustomer(created);
  });
}

export async function updateCustomer(caller: Caller, input: UpdateCustomerInput): Promise<Customer> {
  const { clientId, customerId } = customerIdsOrThrow(caller, input.id);
  if (caller.identity.role === 'CUSTOMER_USER') throw new ForbiddenError('Customers cannot change their own terms');
  const valid = parseInputOrThrow(updateSchema, input);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const before = await findCustomer(tx, clientId, customerId);
    if (!before) throw new NotFoundError('Customer', input.id);
    const patch = await termsToRow(tx, clientId, valid);
    if (valid.status) patch.status = valid.status;
    const updated = await updateCustomerRow(tx, clientId, customerId, patch);
    await recordAudit(tx, caller, {
      clientId,
      action: 'customer.update',
      entityType: 'Customer',
      entityId: customerId,
      before: before.customer,
      after: updated,
    });
    const after = await findCustomer(tx, clientId, customerId);
    if (!after) throw new NotFoundError('Customer', input.id);
    return toCustomer(after);
  });
}

export async function getCustomerByIdsForCaller(
  caller: Caller,
  clientId: string,
  customerId: string,
): Promise<Customer | null> {
  assertCustomerAccess(caller.identity, clientId, customerId);
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    findCustomer(tx, clientId, customerId),
  );
  return row ? toCustomer(row) : null;
}
