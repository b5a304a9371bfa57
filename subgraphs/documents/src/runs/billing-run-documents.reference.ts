import { withTenant } from '@ciro/db';
import {
  ForbiddenError,
  NotFoundError,
  assertClientAdmin,
  callerOf,
  fromTenantIdOrThrow,
  tenantContextFor,
} from '@ciro/subgraph-common';
import type { DocumentsContext } from '../context';
import { countRunDocuments } from '../invoices/invoice-document.repository';
import { RUN_READ, type BillingRun } from './billing-run-documents.type';

/**
 * Federation entry point for BillingRun: guards do not run here, so the tenant (administrators of the run's client)
 * and the scopes are checked before counting. Another client's run is FORBIDDEN, a made-up one NOT_FOUND.
 */
export async function resolveBillingRunDocumentsReference(
  reference: Pick<BillingRun, 'id'>,
  context: DocumentsContext,
): Promise<BillingRun> {
  const caller = callerOf(context);
  const { clientId, id } = fromTenantIdOrThrow('BillingRun', reference.id);
  assertClientAdmin(caller.identity, clientId);
  if (!RUN_READ.some((scope) => caller.identity.scopes.includes(scope))) {
    throw new ForbiddenError('Reading billing runs needs billing:read or billing:run');
  }
  const counts = await withTenant(caller.database, tenantContextFor(caller.identity, clientId), (tx) =>
    countRunDocuments(tx, clientId, id),
  );
  if (!counts) throw new NotFoundError('BillingRun', reference.id);
  return {
    id: reference.id,
    documentsTotal: counts.total,
    documentsReady: counts.ready,
    documentsFailed: counts.failed,
    documentsPending: counts.pending,
  };
}
