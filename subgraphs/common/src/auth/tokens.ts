import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { UnauthenticatedError } from '../errors/errors';
import type { Identity } from './identity';
import { ROLES, isScope } from './scopes';

export const TOKEN_ISSUER = 'ciro-energy-portal';
export const TOKEN_AUDIENCE = 'ciro-api';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const accessClaimsSchema = z.object({
  sub: z.string().min(1),
  typ: z.literal('access'),
  role: z.enum(ROLES),
  orgId: z.string().nullable(),
  clientId: z.string().nullable(),
  customerId: z.string().nullable(),
  apiKeyId: z.string().nullable().optional(),
  scopes: z.array(z.string()),
});

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export async function signAccessToken(
  identity: Identity,
  secret: string,
  ttlSeconds = ACCESS_TOKEN_TTL_SECONDS,
): Promise<string> {
  return new SignJWT({
    typ: 'access',
    role: identity.role,
    orgId: identity.orgId,
    clientId: identity.clientId,
    customerId: identity.customerId,
    apiKeyId: identity.apiKeyId,
    scopes: [...identity.scopes],
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(identity.subject)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(keyOf(secret));
}

/** Verifies signature, issuer, audience and expiry; throws UNAUTHENTICATED otherwise. */
export async function verifyAccessToken(token: string, secret: string): Promise<Identity> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), {
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      algorithms: ['HS256'],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw new UnauthenticatedError('Access token expired: refresh it or log in again');
    }
    throw new UnauthenticatedError('Access token is invalid');
  }
  const claims = accessClaimsSchema.safeParse(payload);
  if (!claims.success) throw new UnauthenticatedError('Access token is invalid');
  const { sub, role, orgId, clientId, customerId, apiKeyId, scopes } = claims.data;
  const apiKey = apiKeyId ?? null;
  return {
    subject: sub,
    userId: apiKey ? null : sub,
    apiKeyId: apiKey,
    role,
    orgId,
    clientId,
    customerId,
    scopes: scopes.filter(isScope),
  };
}

/** Extracts the bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? null;
}
