import busboy from 'busboy';
import {
  DomainError,
  ForbiddenError,
  buildRequestContext,
  hasAnyScope,
  requireIdentity,
  type Logger,
} from '@ciro/subgraph-common';
import type express from 'express';
import type { Request, Response } from 'express';
import type { MeteringDeps } from '../context';
import { createUpload } from './upload.service';

const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
};

interface MultipartUpload {
  file: { fileName: string; contentType: string | null; bytes: Buffer } | null;
  fields: Record<string, string>;
  tooLarge: boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads one `file` part (bounded by the size limit) and the small text fields of a multipart body. */
function readMultipart(req: Request, maxBytes: number): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024 } });
    } catch {
      reject(new HttpError(400, 'BAD_USER_INPUT', 'Send the file as multipart/form-data with a "file" field'));
      return;
    }
    const result: MultipartUpload = { file: null, fields: {}, tooLarge: false };
    parser.on('field', (name, value) => {
      result.fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        result.tooLarge = true;
      });
      stream.on('end', () => {
        result.file = { fileName: info.filename, contentType: info.mimeType || null, bytes: Buffer.concat(chunks) };
      });
    });
    parser.on('error', () => reject(new HttpError(400, 'BAD_USER_INPUT', 'The multipart body could not be read')));
    parser.on('close', () => resolve(result));
    req.pipe(parser);
  });
}

function send(res: Response, error: unknown, logger: Logger): void {
  if (error instanceof HttpError) {
    res.status(error.status).json({ code: error.code, message: error.message });
    return;
  }
  if (error instanceof DomainError) {
    const field = (error.extensions as { field?: unknown }).field;
    res.status(STATUS_BY_CODE[error.code] ?? 400).json({
      code: error.code,
      message: error.message,
      ...(typeof field === 'string' ? { field } : {}),
    });
    return;
  }
  logger.error({ err: error }, 'upload failed');
  res.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' });
}

/**
 * `POST /uploads?clientId=…&kind=METER_READINGS[&period=YYYY-MM]` (multipart, field `file`):
 * the raw-file twin of the createUpload mutation, for files too big for base64 in JSON. The
 * gateway's `POST /v1/meter-readings/upload` streams to it with the caller's token; the same
 * scope (readings:upload) and the same service (tenant check, size limit, dedupe) apply.
 */
export function uploadRoutes(deps: MeteringDeps): (app: express.Express) => void {
  return (app) => {
    app.post('/uploads', async (req: Request, res: Response) => {
      try {
        const context = await buildRequestContext(req.headers, deps.settings.jwtSecret, deps.logger);
        if (context.authError) throw context.authError;
        const identity = requireIdentity(context.identity);
        if (!hasAnyScope(identity.scopes, ['readings:upload'])) {
          throw new ForbiddenError('This needs one of the scopes: readings:upload');
        }
        const body = await readMultipart(req, deps.settings.maxUploadBytes);
        const param = (name: string): string | undefined => {
          const fromQuery = req.query[name];
          return typeof fromQuery === 'string' ? fromQuery : body.fields[name];
        };
        if (body.tooLarge) {
          throw new HttpError(
            413,
            'FILE_TOO_LARGE',
            `The file is larger than the limit of ${deps.settings.maxUploadBytes} bytes`,
          );
        }
        if (!body.file) throw new HttpError(400, 'BAD_USER_INPUT', 'Send the file in a multipart field named "file"');
        const clientId = param('clientId');
        if (!clientId) throw new HttpError(400, 'BAD_USER_INPUT', 'clientId is required (query or form field)');
        const created = await createUpload(
          deps,
          { database: deps.database, identity, requestId: context.requestId },
          {
            clientId,
            kind: param('kind') ?? 'METER_READINGS',
            fileName: param('fileName') ?? body.file.fileName,
            bytes: body.file.bytes,
            contentType: body.file.contentType,
            period: param('period') ?? null,
          },
        );
        const { upload } = created;
        res.status(created.outcome === 'CREATED' ? 201 : 200).json({
          outcome: created.outcome,
          upload: {
            id: upload.id,
            clientId: upload.clientId,
            kind: upload.kind,
            fileName: upload.fileName,
            sizeBytes: upload.sizeBytes,
            sha256: upload.sha256,
            status: upload.status,
            createdAt: upload.createdAt.toISOString(),
          },
        });
      } catch (error) {
        // Drain what the client still sends, so it reads our answer instead of a reset.
        req.resume();
        send(res, error, deps.logger);
      }
    });
  };
}
