import { NotFoundError } from './errors/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opaque public ids carry the owning client, so a tenant check needs no
 * cross-tenant lookup: another client's id is FORBIDDEN before any query
 * runs, and a made-up id is NOT_FOUND.
 */
export interface DecodedId {
  type: string;
  clientId: string | null;
  id: string;
}

export function toGlobalId(type: string, clientId: string | null, id: string): string {
  return Buffer.from(`${type}:${clientId ?? ''}:${id}`, 'utf8').toString('base64url');
}

/** Decodes an id of the expected type; anything else is NOT_FOUND. */
export function fromGlobalIdOrThrow(expectedType: string, globalId: string): DecodedId {
  const decoded = tryDecode(globalId);
  if (!decoded || decoded.type !== expectedType) throw new NotFoundError(expectedType, globalId);
  return decoded;
}

/** Like fromGlobalIdOrThrow but the id must carry a client. */
export function fromTenantIdOrThrow(expectedType: string, globalId: string): { clientId: string; id: string } {
  const decoded = fromGlobalIdOrThrow(expectedType, globalId);
  if (!decoded.clientId) throw new NotFoundError(expectedType, globalId);
  return { clientId: decoded.clientId, id: decoded.id };
}

function tryDecode(globalId: string): DecodedId | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return null;
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const [type, clientId, id, ...rest] = text.split(':');
  if (rest.length > 0 || !type || id === undefined || !UUID.test(id)) return null;
  if (clientId && !UUID.test(clientId)) return null;
  return { type, clientId: clientId || null, id: id.toLowerCase() };
}
