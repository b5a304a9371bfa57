import { withTenant } from '@ciro/db';
import { assertClientAdmin, tenantContextFor, toGlobalId, type Page } from '@ciro/subgraph-common';
import type { Caller } from '../caller';
import type { AuditLogEntry } from './audit.type';
import { listAuditLog, type AuditLogRow } from './audit.repository';

function toEntry(row: AuditLogRow): AuditLogEntry {
  return {
    id: toGlobalId('AuditLogEntry', row.clientId, row.id),
    occurredAt: row.occurredAt,
    actorRole: row.actorRole ?? 'UNKNOWN',
    actorUserId: row.actorUserId ? toGlobalId('User', null, row.actorUserId) : null,
    actorApiKeyId: row.actorApiKeyId ? toGlobalId('ApiKey', row.clientId, row.actorApiKeyId) : null,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
  };
}

/** The client's audit trail, newest first (client administrators and system administrators). */
export async function listClientAuditLog(
  caller: Caller,
  clientId: string,
  page: Page,
): Promise<{ rows: AuditLogEntry[]; total: number }> {
  assertClientAdmin(caller.identity, clientId);
  const { rows, total } = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    listAuditLog(tx, clientId, page.limit, page.offset),
  );
  return { rows: rows.map(toEntry), total };
}
