import { Scopes, UserError } from '@ciro/subgraph-common';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';

export enum PdfStatus {
  PENDING = 'PENDING',
  READY = 'READY',
  FAILED = 'FAILED',
}

registerEnumType(PdfStatus, {
  name: 'PdfStatus',
  description:
    'Where the invoice PDF is: PENDING (not rendered yet, or rendering), READY (stored), FAILED (see pdfError).',
});

/** Scopes that may read an invoice; customer users are narrowed to their own customer by the service. */
export const INVOICE_READ = ['invoices:read', 'invoices:read:own'] as const;
const ReadScopes = () => Scopes(...INVOICE_READ);

@ObjectType({ description: 'An invoice (owned by billing), extended with its printed document.' })
@Directive('@key(fields: "id")')
export class Invoice {
  @Field(() => ID)
  @ReadScopes()
  id!: string;

  /** Raw ids and stored PDF columns, for resolvers; not in the schema. */
  clientId!: string;
  invoiceId!: string;
  pdfBlobKey!: string | null;

  @Field(() => PdfStatus, { description: 'PDF state; PENDING until issuing (or regenerateInvoicePdf) renders it.' })
  @ReadScopes()
  pdfStatus!: PdfStatus;

  @Field(() => String, { nullable: true, description: 'Why the last render FAILED; null otherwise.' })
  @ReadScopes()
  pdfError!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A short-lived (15 minutes), read-only download link (SAS URL) for this invoice PDF; null unless pdfStatus is READY. Minted only after the tenant check; ask again for a fresh one.',
  })
  @ReadScopes()
  pdfUrl!: string | null;
}

@InputType()
export class RegenerateInvoicePdfInput {
  @Field(() => ID, { description: 'The Invoice id.' })
  invoiceId!: string;
}

@ObjectType()
export class RegenerateInvoicePdfPayload {
  @Field(() => Invoice, { nullable: true })
  invoice!: Invoice | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
