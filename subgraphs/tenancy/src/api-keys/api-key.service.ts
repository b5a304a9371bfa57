import { randomUUID } from 'node:crypto';
import { withTenant } from '@ciro/db';
import {
  BadUserInputError,
  InputValidationError,
  NotFoundError,
  assertClientAdmin,
  fromTenantIdOrThrow,
  isScope,
  parseInputOrThrow,
  scopesAllowedFor,
  tenantContextFor,
  toGlobalId,
  type FieldProblem,
  type Page,
  type Role,
  type Scope,
} from '@ciro/subgraph-common';
import { z } from 'zod';
import { recordAudit } from '../audit/audit.service';
import type { Caller } from '../caller';
import { clientIdOrThrow } from '../clients/client.service';
import { customerExists } from '../users/user.repository';
import { fields } from '../validation/fields';
import { generateApiKey } from './api-key.secret';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKeyRow, type ApiKeyRow } from './api-key.repository';
import type { ApiKey, CreateApiKeyInput, RevokeApiKeyInput } from './api-key.type';

/** A key limited to a customer acts as that customer's user; otherwise as a client admin. */
export function apiKeyRole(row: Pick<ApiKeyRow, 'customerId'>): Role {
  return row.customerId ? 'CUSTOMER_USER' : 'CLIENT_ADMIN';
}

export function apiKeyStatus(row: ApiKeyRow, now = new Date()): 'ACTIVE' | 'EXPIRED' | 'REVOKED' {
  if (row.revokedAt) return 'REVOKED';
  if (row.expiresAt && row.expiresAt <= now) return 'EXPIRED';
  return 'ACTIVE';
}

/** Public shape of a key: never its hash. */
export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: toGlobalId('ApiKey', row.clientId, row.id),
    name: row.name,
    prefix: row.prefix,
    scopes: [...row.scopes],
    role: apiKeyRole(row),
    customerId: row.customerId ? toGlobalId('Customer', row.clientId, row.customerId) : null,
    status: apiKeyStatus(row),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

const createSchema = z.object({
  clientId: z.string(),
  name: fields.name,
  scopes: z.array(z.string().trim()).min(1, 'Give the key at least one scope'),
  customerId: z.string().nullish(),
  expiresAt: z
    .date()
    .refine((date) => date.getTime() > Date.now(), 'expiresAt must be in the future')
    .nullish(),
});

/** `x:own` is the narrower form of `x`: whoever holds `x` may grant `x:own` to a customer key. */
function creatorHolds(creatorScopes: readonly string[], scope: Scope): boolean {
  return (
    creatorScopes.includes(scope) || (scope.endsWith(':own') && creatorScopes.includes(scope.slice(0, -':own'.length)))
  );
}

/** Each requested scope must exist, fit the role the key acts as, and be held by its creator. */
function grantableScopesOrThrow(requested: readonly string[], role: Role, creatorScopes: readonly string[]): Scope[] {
  const allowed = scopesAllowedFor(role);
  const problems: FieldProblem[] = [];
  const granted = new Set<Scope>();
  for (const scope of requested) {
    if (!isScope(scope)) {
      problems.push({ field: 'scopes', message: `Unknown scope "${scope}"` });
    } else if (!allowed.includes(scope)) {
      problems.push({ field: 'scopes', message: `Scope "${scope}" is not available to a key acting as ${role}` });
    } else if (!creatorHolds(creatorScopes, scope)) {
      problems.push({ field: 'scopes', message: `You cannot grant scope "${scope}": you do not hold it` });
    } else {
      granted.add(scope);
    }
  }
  if (problems.length > 0) throw new InputValidationError(problems);
  return [...granted];
}

function customerIdOfClientOrThrow(clientId: string, customerGlobalId: string): string {
  let decoded: { clientId: string; id: string };
  try {
    decoded = fromTenantIdOrThrow('Customer', customerGlobalId);
  } catch (error) {
    if (error instanceof NotFoundError) throw new BadUserInputError('customerId', 'customerId is not a Customer id');
    throw error;
  }
  if (decoded.clientId !== clientId) {
    throw new BadUserInputError('customerId', 'customerId must be a customer of the same client');
  }
  return decoded.id;
}

export async function createApiKey(
  caller: Caller,
  input: CreateApiKeyInput,
): Promise<{ apiKey: ApiKey; secret: string }> {
  const clientId = clientIdOrThrow(caller, input.clientId);
  assertClientAdmin(caller.identity, clientId);
  const valid = parseInputOrThrow(createSchema, input);
  const customerId = valid.customerId ? customerIdOfClientOrThrow(clientId, valid.customerId) : null;
  const scopes = grantableScopesOrThrow(valid.scopes, apiKeyRole({ customerId }), caller.identity.scopes);
  const key = generateApiKey();
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    if (customerId && !(await customerExists(tx, clientId, customerId))) {
      throw new BadUserInputError('customerId', 'customerId is not a customer of this client');
    }
    const inserted = await insertApiKey(tx, {
      clientId,
      id: randomUUID(),
      name: valid.name,
      prefix: key.prefix,
      keyHash: key.hash,
      scopes,
      customerId,
      createdByUserId: caller.identity.userId,
      expiresAt: valid.expiresAt ?? null,
    });
    await recordAudit(tx, caller, {
      clientId,
      action: 'api-key.create',
      entityType: 'ApiKey',
      entityId: inserted.id,
      after: inserted,
    });
    return inserted;
  });
  return { apiKey: toApiKey(row), secret: key.raw };
}

export async function revokeApiKey(caller: Caller, input: RevokeApiKeyInput): Promise<ApiKey> {
  const { clientId, id } = fromTenantIdOrThrow('ApiKey', input.id);
  assertClientAdmin(caller.identity, clientId);
  const row = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), async (tx) => {
    const before = await findApiKey(tx, clientId, id);
    if (!before) throw new NotFoundError('ApiKey', input.id);
    if (before.revokedAt) return before;
    const revoked = await revokeApiKeyRow(tx, clientId, id, new Date());
    if (!revoked) throw new NotFoundError('ApiKey', input.id);
    await recordAudit(tx, caller, {
      clientId,
      action: 'api-key.revoke',
      entityType: 'ApiKey',
      entityId: id,
      before,
      after: revoked,
    });
    return revoked;
  });
  return toApiKey(row);
}

export async function listClientApiKeys(
  caller: Caller,
  clientId: string,
  page: Page,
): Promise<{ rows: ApiKey[]; total: number }> {
  assertClientAdmin(caller.identity, clientId);
  const { rows, total } = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    listApiKeys(tx, clientId, page.limit, page.offset),
  );
  return { rows: rows.map(toApiKey), total };
}
