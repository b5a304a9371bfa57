import { Scopes, callerOf, withUserErrors } from '@ciro/subgraph-common';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { DocumentsContext } from '../context';
import { pdfUrlOf, regenerateInvoicePdf } from './invoice-document.service';
import { INVOICE_READ, Invoice, RegenerateInvoicePdfInput, RegenerateInvoicePdfPayload } from './invoice-document.type';

@Resolver(() => Invoice)
export class InvoiceDocumentResolver {
  @FieldResolver(() => String, { nullable: true })
  @Scopes(...INVOICE_READ)
  async pdfUrl(@Root() invoice: Invoice, @Ctx() context: DocumentsContext): Promise<string | null> {
    // The Invoice reached here through __resolveReference (or the mutation), which did the tenant check.
    return pdfUrlOf(invoice, context.storage, context.settings.pdfUrlTtlSeconds);
  }

  @Mutation(() => RegenerateInvoicePdfPayload, {
    description:
      'Renders the invoice PDF again and replaces the stored file (same key): the invoice goes back to PENDING and is READY once the render worker is done (poll pdfStatus). Administrators of the invoice’s client.',
  })
  @Scopes('invoices:write')
  async regenerateInvoicePdf(
    @Arg('input', () => RegenerateInvoicePdfInput) input: RegenerateInvoicePdfInput,
    @Ctx() context: DocumentsContext,
  ): Promise<RegenerateInvoicePdfPayload> {
    const caller = callerOf(context);
    return withUserErrors(
      async () => ({
        invoice: await regenerateInvoicePdf(caller, input.invoiceId, context.storage, context.renderer, {
          queue: context.renderQueue,
          events: context.events,
        }),
      }),
      { invoice: null },
    );
  }
}
