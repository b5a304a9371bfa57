const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOENT', // unix socket missing
  'CONNECT_TIMEOUT', // postgres-js
  'CONNECTION_CLOSED', // postgres-js
  'CONNECTION_ENDED', // postgres-js
  '57P03', // cannot_connect_now: the server is starting up or shutting down
]);

/** True when the error means "no PostgreSQL there" rather than a SQL or auth problem. */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  // Node reports a refused dual-stack connect as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectionError(inner, depth + 1))) return true;
  return isConnectionError(e.cause, depth + 1);
}

/** PostgreSQL SQLSTATE of an error thrown by postgres-js (or wrapped by drizzle), if any. */
export function sqlState(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return sqlState(e.cause, depth + 1);
}

/** One line for humans: the innermost cause (drizzle wraps driver errors in "Failed query: <sql>"). */
export function describeError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (!(cause instanceof Error)) break;
    current = cause;
  }
  const message = current instanceof Error ? current.message : String(current);
  const state = sqlState(current);
  return `${message.split('\n')[0]}${state ? ` (SQLSTATE ${state})` : ''}`;
}
