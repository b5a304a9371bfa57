import { schema, type Tx } from '@ciro/db';
import Decimal from 'decimal.js';
import type { Identity } from '../auth/identity';

export interface AuditEntry {
  /** null for platform-level actions (organizations, system administrators). */
  clientId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditActor {
  identity: Identity | null;
  requestId: string;
}

const SECRET_FIELDS = new Set(['passwordHash', 'mfaSecret', 'keyHash', 'tokenHash']);

/** Strips secrets so the audit trail never stores a hash or TOTP secret. */
function redact(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (Decimal.isDecimal(value)) return value.toFixed();
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_FIELDS.has(key) ? '[redacted]' : redact(inner);
  }
  return out;
}

/** Writes one audit row in the same transaction as the change it records. */
export async function recordAudit(tx: Tx, actor: AuditActor, entry: AuditEntry): Promise<void> {
  const common = {
    actorUserId: actor.identity?.userId ?? null,
    actorApiKeyId: actor.identity?.apiKeyId ?? null,
    actorRole: actor.identity?.role ?? 'ANONYMOUS',
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: redact(entry.before),
    after: redact(entry.after),
    requestId: actor.requestId,
  };
  if (entry.clientId) {
    await tx.insert(schema.auditLog).values({ ...common, clientId: entry.clientId });
  } else {
    await tx.insert(schema.platformAuditLog).values(common);
  }
}
