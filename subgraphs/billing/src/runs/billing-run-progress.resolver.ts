import { withTenant, type Tx } from '@ciro/db';
import {
  NotFoundError,
  Scopes,
  assertClientAdmin,
  callerOf,
  fromTenantIdOrThrow,
  snapshotThenEvents,
  tenantContextFor,
  toGlobalId,
  type BillingRunDocumentsMessage,
} from '@ciro/subgraph-common';
import { sql } from 'drizzle-orm';
import type { SubscribeResolverData } from 'type-graphql';
import { Arg, Field, ID, Int, ObjectType, Root, Subscription, registerEnumType } from 'type-graphql';
import type { BillingContext } from '../context';
import { billingRunChannelOf, type BillingRunProgressMessage } from './billing-run-events';
import { TERMINAL_RUN_STATUSES, readRunProgress, type RunStatus } from './billing-run.repository';
import { BillingRunStatus } from './billing-run.type';

export enum BillingRunProgressKind {
  SNAPSHOT = 'SNAPSHOT',
  CUSTOMER = 'CUSTOMER',
  STATUS = 'STATUS',
  DOCUMENT = 'DOCUMENT',
}
registerEnumType(BillingRunProgressKind, {
  name: 'BillingRunProgressKind',
  description:
    'SNAPSHOT: the run as it is when the subscription starts. CUSTOMER: a customer was billed (customerId). STATUS: the run changed status. DOCUMENT: the PDF of an issued invoice of the run was rendered or failed (invoiceId).',
});

@ObjectType({ description: 'Where a billing run stands: customers billed, then the PDFs of its issued invoices.' })
export class BillingRunProgress {
  @Field(() => ID)
  runId!: string;

  @Field(() => BillingRunProgressKind)
  kind!: BillingRunProgressKind;

  @Field(() => BillingRunStatus)
  status!: BillingRunStatus;

  @Field(() => Int)
  customersTotal!: number;

  @Field(() => Int, { description: 'Customers with an outcome (FAILED included).' })
  customersDone!: number;

  @Field(() => Int)
  customersFailed!: number;

  @Field(() => ID, { nullable: true, description: 'The customer just billed (CUSTOMER).' })
  customerId!: string | null;

  @Field(() => Int, { description: 'Issued invoices of the run (each gets a PDF).' })
  documentsTotal!: number;

  @Field(() => Int)
  documentsReady!: number;

  @Field(() => Int)
  documentsFailed!: number;

  @Field(() => ID, { nullable: true, description: 'The invoice whose PDF was just rendered or failed (DOCUMENT).' })
  invoiceId!: string | null;

  @Field(() => Date)
  at!: Date;
}

interface DocumentCounts {
  total: number;
  ready: number;
  failed: number;
}

/** PDFs of the run's issued invoices (drafts get none), from what billing stores on each invoice. */
async function documentCounts(tx: Tx, clientId: string, runId: string): Promise<DocumentCounts> {
  const [row] = await tx.execute<{ total: number; ready: number; failed: number }>(sql`
    select count(*)::int as total,
           count(*) filter (where pdf_status = 'READY')::int as ready,
           count(*) filter (where pdf_status = 'FAILED')::int as failed
      from invoices
     where client_id = ${clientId} and billing_run_id = ${runId} and status <> 'DRAFT'`);
  return row ?? { total: 0, ready: 0, failed: 0 };
}

type RunMessage = BillingRunProgressMessage | BillingRunDocumentsMessage;

function runMessageOf(raw: string, runId: string): RunMessage | null {
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Partial<RunMessage>;
  if (message.runId !== runId) return null;
  return message.type === 'billing-run.progress' || message.type === 'billing-run.documents'
    ? (message as RunMessage)
    : null;
}

function isRunStatus(value: string): value is RunStatus {
  return (Object.values(BillingRunStatus) as string[]).includes(value);
}

interface BillingRunProgressArgs {
  id: string;
}

/**
 * The run as it stands first (so nothing between subscribing and the first
 * event is lost), then one item per customer billed, status change and PDF.
 * Each item carries the figures read back from the database, so a reader that
 * missed an item still sees the right totals. It stays open after the run
 * ends, since issuing the invoices later renders their PDFs.
 */
async function subscribeBillingRunProgress({
  args,
  context,
}: SubscribeResolverData<unknown, BillingRunProgressArgs, BillingContext>): Promise<AsyncIterable<BillingRunProgress>> {
  const caller = callerOf(context);
  const { clientId, id: runId } = fromTenantIdOrThrow('BillingRun', args.id);
  assertClientAdmin(caller.identity, clientId);
  const tenant = tenantContextFor(caller.identity, clientId);
  const read = async (kind: BillingRunProgressKind, customerId: string | null, invoiceId: string | null, at: Date) =>
    withTenant(context.database, tenant, async (tx) => {
      const progress = await readRunProgress(tx, clientId, runId);
      if (!progress) return null;
      const documents = await documentCounts(tx, clientId, runId);
      const item: BillingRunProgress = {
        runId: args.id,
        kind,
        status: isRunStatus(progress.status) ? (progress.status as BillingRunStatus) : BillingRunStatus.FAILED,
        customersTotal: progress.total,
        customersDone: progress.done,
        customersFailed: progress.failed,
        customerId: customerId ? toGlobalId('Customer', clientId, customerId) : null,
        documentsTotal: documents.total,
        documentsReady: documents.ready,
        documentsFailed: documents.failed,
        invoiceId: invoiceId ? toGlobalId('Invoice', clientId, invoiceId) : null,
        at,
      };
      return item;
    });

  return snapshotThenEvents(context.eventBus, billingRunChannelOf(clientId), {
    snapshot: async () => {
      const snapshot = await read(BillingRunProgressKind.SNAPSHOT, null, null, new Date());
      if (!snapshot) throw new NotFoundError('BillingRun', args.id);
      return [snapshot];
    },
    map: async (raw) => {
      const message = runMessageOf(raw, runId);
      if (!message) return undefined;
      const at = new Date(message.at);
      const item =
        message.type === 'billing-run.documents'
          ? await read(BillingRunProgressKind.DOCUMENT, null, message.invoiceId, at)
          : await read(
              message.customerId ? BillingRunProgressKind.CUSTOMER : BillingRunProgressKind.STATUS,
              message.customerId,
              null,
              at,
            );
      return item ? { value: item } : undefined;
    },
  });
}

export class BillingRunProgressResolver {
  @Subscription(() => BillingRunProgress, {
    description: `Progress of a billing run: the run as it is first, then each customer billed, each status change (${TERMINAL_RUN_STATUSES.join(', ')} end the billing) and each PDF of its issued invoices. Over graphql-ws at the gateway.`,
    subscribe: subscribeBillingRunProgress,
  })
  @Scopes('billing:read', 'billing:run')
  billingRunProgress(@Arg('id', () => ID) _id: string, @Root() progress: BillingRunProgress): BillingRunProgress {
    return progress;
  }
}
