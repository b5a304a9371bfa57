import { Readable } from 'node:stream';
import { hasAnyScope } from '@ciro/subgraph-common';
import type { Request, Response } from 'express';
import type { GatewayContext } from '../context';

export interface MeterReadingsUploadOptions {
  /** The metering subgraph's GraphQL URL; its raw upload endpoint is `/uploads` beside it. */
  meteringUrl: string;
  buildContext: (req: Request, res: Response) => Promise<GatewayContext>;
}

/** Headers of the subgraph's answer worth passing on. */
const PASSED_HEADERS = ['content-type'];

/**
 * `POST /v1/meter-readings/upload?clientId=…` (multipart, field `file`; `clientId`, `kind`,
 * `period` as query or form fields). The gateway authenticates the caller (JWT or API key)
 * and checks the `readings:upload` scope, then streams the body to the metering subgraph with
 * the caller's verified token; the subgraph runs the same service as the createUpload
 * mutation (tenant check → 403, size limit → 413, duplicate → 200, created → 201).
 */
export function meterReadingsUpload(options: MeterReadingsUploadOptions) {
  const target = new URL('/uploads', options.meteringUrl);
  return async (req: Request, res: Response): Promise<void> => {
    const context = await options.buildContext(req, res);
    const refuse = (status: number, code: string, message: string) => {
      req.resume();
      res.status(status).json({ code, message });
    };
    if (context.authError) return refuse(401, context.authError.code, context.authError.message);
    if (!context.identity || !context.forwardedToken) {
      return refuse(401, 'UNAUTHENTICATED', 'Authentication required: send a valid access token or API key');
    }
    if (!hasAnyScope(context.identity.scopes, ['readings:upload'])) {
      return refuse(403, 'FORBIDDEN', 'This needs one of the scopes: readings:upload');
    }
    const contentType = req.headers['content-type'];
    if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
      return refuse(400, 'BAD_USER_INPUT', 'Send the file as multipart/form-data with a "file" field');
    }
    const url = new URL(target);
    for (const [name, value] of Object.entries(req.query)) {
      if (typeof value === 'string' && ['clientId', 'kind', 'period', 'fileName'].includes(name)) {
        url.searchParams.set(name, value);
      }
    }
    try {
      const upstream = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': contentType,
          authorization: `Bearer ${context.forwardedToken}`,
          'x-request-id': context.requestId,
          ...(req.headers['content-length'] ? { 'content-length': req.headers['content-length'] } : {}),
        },
        body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        // Node's fetch streams a request body only in half-duplex mode.
        duplex: 'half',
      });
      for (const name of PASSED_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      res.status(upstream.status).send(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      context.logger.error({ err: error }, 'meter readings upload: metering subgraph unreachable');
      if (!res.headersSent) {
        res
          .status(502)
          .json({ code: 'INTERNAL_SERVER_ERROR', message: 'The upload service is not available; try again' });
      }
    }
  };
}
