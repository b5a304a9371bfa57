import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ApolloServer } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';

const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
};

// The same query a GraphQL client runs: billing checks the tenant for `invoice`, documents again for `pdfUrl`.
const QUERY = `query RestInvoicePdf($id: ID!) { invoice(id: $id) { id number pdfStatus pdfError pdfUrl } }`;

interface InvoicePdfData {
  invoice: {
    id: string;
    number: string | null;
    pdfStatus: string;
    pdfError: string | null;
    pdfUrl: string | null;
  } | null;
}

function codeOf(error: GraphQLFormattedError | undefined): string {
  const code = error?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * `GET /v1/invoices/:id/pdf`: streams the stored invoice PDF after the same authorization as `Invoice.pdfUrl`
 * (403 across tenants and customers, 404 for an id that does not exist, 409 while the PDF is not READY).
 */
export function invoicePdfRoute(
  apollo: ApolloServer<GatewayContext>,
  buildContext: (req: Request, res: Response) => Promise<GatewayContext>,
): RequestHandler {
  return async (req, res) => {
    const contextValue = await buildContext(req, res);
    const response = await apollo.executeOperation(
      { query: QUERY, variables: { id: req.params.id } },
      { contextValue },
    );
    if (response.body.kind !== 'single') {
      res.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected incremental response' });
      return;
    }
    const result = response.body.singleResult;
    if (result.errors?.length) {
      const code = codeOf(result.errors[0]);
      res.status(STATUS_BY_CODE[code] ?? 500).json({ code, message: result.errors[0]?.message ?? 'Request failed' });
      return;
    }
    const invoice = (result.data as InvoicePdfData | undefined)?.invoice;
    if (!invoice) {
      res.status(404).json({ code: 'NOT_FOUND', message: 'Invoice not found' });
      return;
    }
    if (!invoice.pdfUrl) {
      res
        .status(409)
        .json({ code: 'PDF_NOT_READY', message: `The PDF is ${invoice.pdfStatus}`, reason: invoice.pdfError });
      return;
    }
    const blob = await fetch(invoice.pdfUrl);
    if (!blob.ok || !blob.body) {
      res.status(502).json({ code: 'BLOB_UNAVAILABLE', message: `Blob storage answered ${blob.status}` });
      return;
    }
    res.status(200);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('cache-control', 'private, no-store');
    const length = blob.headers.get('content-length');
    if (length) res.setHeader('content-length', length);
    const filename = (invoice.number ?? invoice.id).replace(/[^A-Za-z0-9._-]/g, '_');
    res.setHeader('content-disposition', `inline; filename="${filename}.pdf"`);
    Readable.fromWeb(blob.body as WebReadableStream<Uint8Array>).pipe(res);
  };
}
