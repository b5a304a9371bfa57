import { randomUUID } from 'node:crypto';
import Decimal from 'decimal.js';
import { withTenant } from '@ciro/db';
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
  type Page,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { Caller } from '../caller';
import { clientIdOrThrow } from '../clients/client.service';
import { fields } from '../validation/fields';
import { customerTermsSchema, termsToRow } from './customer-terms';
import type { CreateCustomerInput, Customer, UpdateCustomerInput } from './customer.type';
import {
  findCustomer,
  findCustomerByCode,
  findTariffIdByCode,
  insertCustomer,
  listCustomers,
  updateCustomerRow,
  type CustomerWithTariff,
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

const createSchema = customerTermsSchema.extend({ clientId: z.string(), code: fields.code, name: fields.name });
const updateSchema = customerTermsSchema.extend({
  id: z.string(),
  status: z.enum(['ACTIVE', 'INACTIVE'], { message: 'Must be ACTIVE or INACTIVE' }).optional(),
});

export async function createCustomer(caller: Caller, input: CreateCustomerInput): Promise<Customer> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const valid = parseInputOrThrow(createSchema, input);
  return withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (await findCustomerByCode(tx, clientId, valid.code)) {
      throw new ConflictError('code', `Customer code ${valid.code} is already used in this client`);
    }
    const inserted = await insertCustomer(tx, {
      ...(await termsToRow(valid, (code) => findTariffIdByCode(tx, clientId, code))),
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
    const patch = await termsToRow(valid, (code) => findTariffIdByCode(tx, clientId, code));
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
