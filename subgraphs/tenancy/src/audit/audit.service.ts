// Audit rows are written by the shared kit, so every subgraph records changes the same way.
export { recordAudit, type AuditActor, type AuditEntry } from '@ciro/subgraph-common';
