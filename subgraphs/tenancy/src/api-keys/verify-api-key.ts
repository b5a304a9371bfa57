import { asSystem, type Database } from '@ciro/db';
import { UnauthenticatedError, isScope, scopesAllowedFor, type Identity } from '@ciro/subgraph-common';
import { findApiKeyByPrefix, touchApiKey } from './api-key.repository';
import { apiKeyMatches, apiKeyPrefixOf } from './api-key.secret';
import { apiKeyRole } from './api-key.service';

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Turns a presented API key (`ciro_<prefix>_<secret>`) into the identity it
 * acts as, for the gateway. Throws UNAUTHENTICATED "API key is invalid" for an
 * unknown or malformed key, "… is revoked" and "… is expired" otherwise.
 * Scopes are re-capped by the role, so a scope later withdrawn from the role
 * stops working on existing keys too.
 */
export async function verifyApiKey(database: Database, rawKey: string): Promise<Identity> {
  const prefix = apiKeyPrefixOf(rawKey.trim());
  if (!prefix) throw new UnauthenticatedError('API key is invalid');
  const outcome = await asSystem(database, 'verify API key', async (tx) => {
    const found = await findApiKeyByPrefix(tx, prefix);
    if (!found || !apiKeyMatches(rawKey.trim(), found.key.keyHash)) return { error: 'API key is invalid' } as const;
    const { key } = found;
    const now = new Date();
    if (key.revokedAt) return { error: 'API key is revoked' } as const;
    if (key.expiresAt && key.expiresAt <= now) return { error: 'API key is expired' } as const;
    if (found.clientStatus !== 'ACTIVE') return { error: 'API key is invalid: its client is suspended' } as const;
    await touchApiKey(tx, key.clientId, key.id, now, LAST_USED_RESOLUTION_MS);
    return { key, organizationId: found.organizationId };
  });
  if ('error' in outcome) throw new UnauthenticatedError(outcome.error);
  const { key, organizationId } = outcome;
  const role = apiKeyRole(key);
  const allowed = scopesAllowedFor(role);
  return {
    subject: `apikey:${key.id}`,
    userId: null,
    apiKeyId: key.id,
    role,
    orgId: organizationId,
    clientId: key.clientId,
    customerId: key.customerId,
    scopes: key.scopes.filter(isScope).filter((scope) => allowed.includes(scope)),
  };
}
