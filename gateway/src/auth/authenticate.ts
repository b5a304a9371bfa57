import type { IncomingHttpHeaders } from 'node:http';
import {
  DomainError,
  UnauthenticatedError,
  bearerToken,
  signAccessToken,
  verifyAccessToken,
  type Identity,
} from '@ciro/subgraph-common';

/** Lifetime of the access token minted for one API-key request (subgraphs only see that token). */
export const API_KEY_TOKEN_TTL_SECONDS = 60;

/** Who sent a request, as the gateway established it. */
export interface GatewayCaller {
  identity: Identity | null;
  /**
   * Why credentials that were sent were refused (expired, forged, revoked key).
   * Public operations still run; anything scoped fails with this error.
   */
  authError: DomainError | null;
  /** Access token forwarded to subgraphs: the caller's JWT, or one minted for an API key. */
  forwardedToken: string | null;
}

export interface AuthenticateOptions {
  jwtSecret: string;
  /** Resolves a raw API key to the identity it acts as; throws UNAUTHENTICATED when it is unknown, expired or revoked. */
  verifyApiKey: (rawKey: string) => Promise<Identity>;
}

export const ANONYMOUS: GatewayCaller = { identity: null, authError: null, forwardedToken: null };

/** Shape of a raw API key (`ciro_<prefix>_<secret>`); a JWT never looks like this. */
const API_KEY_SHAPE = /^ciro_[0-9A-Za-z]+_[0-9A-Za-z]+$/;

type Credential = { kind: 'jwt'; token: string } | { kind: 'apiKey'; key: string };

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads `Authorization: Bearer <jwt>`, `Authorization: ApiKey <key>` or
 * `X-Api-Key: <key>`; `Authorization: Bearer ciro_…` is taken as an API key too,
 * since clients that only know bearer auth send keys that way.
 */
function credentialOf(headers: IncomingHttpHeaders): Credential | null | DomainError {
  const authorization = headerValue(headers, 'authorization')?.trim();
  const apiKeyHeader = headerValue(headers, 'x-api-key')?.trim();
  let fromAuthorization: Credential | null = null;
  if (authorization) {
    const token = bearerToken(authorization);
    const apiKey = /^ApiKey\s+(\S+)$/i.exec(authorization)?.[1];
    if (token) fromAuthorization = API_KEY_SHAPE.test(token) ? { kind: 'apiKey', key: token } : { kind: 'jwt', token };
    else if (apiKey) fromAuthorization = { kind: 'apiKey', key: apiKey };
    else return new UnauthenticatedError('Authorization header must be "Bearer <access token>" or "ApiKey <key>"');
  }
  if (apiKeyHeader) {
    if (fromAuthorization) {
      return new UnauthenticatedError('Send either an Authorization header or an X-Api-Key header, not both');
    }
    return { kind: 'apiKey', key: apiKeyHeader };
  }
  return fromAuthorization;
}

function refused(error: unknown): GatewayCaller {
  // Anything that is not a deliberate auth error (database down…) is a server error, not a refusal.
  if (error instanceof DomainError) return { identity: null, authError: error, forwardedToken: null };
  throw error;
}

/**
 * Establishes the caller of one request. Invalid credentials do not fail the
 * request: the error is kept so public fields (login, refreshSession) still
 * work and scoped fields fail with the precise reason.
 */
export async function authenticateRequest(
  headers: IncomingHttpHeaders,
  options: AuthenticateOptions,
): Promise<GatewayCaller> {
  const credential = credentialOf(headers);
  if (credential === null) return ANONYMOUS;
  if (credential instanceof DomainError) return refused(credential);
  try {
    if (credential.kind === 'jwt') {
      const identity = await verifyAccessToken(credential.token, options.jwtSecret);
      return { identity, authError: null, forwardedToken: credential.token };
    }
    const identity = await options.verifyApiKey(credential.key);
    const forwardedToken = await signAccessToken(identity, options.jwtSecret, API_KEY_TOKEN_TTL_SECONDS);
    return { identity, authError: null, forwardedToken };
  } catch (error) {
    return refused(error);
  }
}
