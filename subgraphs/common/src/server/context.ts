import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Identity } from '../auth/identity';
import { bearerToken, verifyAccessToken } from '../auth/tokens';
import { DomainError } from '../errors/errors';
import type { Logger } from '../logger';

/** What every resolver receives; subgraphs extend it with their services. */
export interface RequestContext {
  identity: Identity | null;
  /** Set when a token was sent but is invalid or expired; public fields still work. */
  authError: DomainError | null;
  requestId: string;
  logger: Logger;
}

export async function authenticateHeaders(
  headers: IncomingHttpHeaders,
  jwtSecret: string,
): Promise<Pick<RequestContext, 'identity' | 'authError'>> {
  const token = bearerToken(headers.authorization);
  if (!token) return { identity: null, authError: null };
  try {
    return { identity: await verifyAccessToken(token, jwtSecret), authError: null };
  } catch (error) {
    if (error instanceof DomainError) return { identity: null, authError: error };
    throw error;
  }
}

export async function buildRequestContext(
  headers: IncomingHttpHeaders,
  jwtSecret: string,
  logger: Logger,
): Promise<RequestContext> {
  const requestIdHeader = headers['x-request-id'];
  const requestId =
    typeof requestIdHeader === 'string' && requestIdHeader.length <= 100 ? requestIdHeader : randomUUID();
  const auth = await authenticateHeaders(headers, jwtSecret);
  return { ...auth, requestId, logger: logger.child({ requestId, sub: auth.identity?.subject }) };
}
