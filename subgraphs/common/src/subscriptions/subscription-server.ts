import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createFormatError } from '../errors/format-error';
import type { Logger } from '../logger';
import { buildRequestContext, type RequestContext } from '../server/context';

/** graphql-ws connection params, as the gateway forwards them. */
function connectionHeaders(params: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  const authorization = params?.authorization ?? params?.Authorization;
  const requestId = params?.['x-request-id'];
  if (typeof authorization === 'string') headers.authorization = authorization;
  if (typeof requestId === 'string') headers['x-request-id'] = requestId;
  return headers;
}

export interface SubscriptionServerOptions<TContext extends RequestContext> {
  server: Server;
  schema: GraphQLSchema;
  jwtSecret: string;
  logger: Logger;
  extendContext: (base: RequestContext) => TContext | Promise<TContext>;
}

/**
 * Serves the subgraph's subscriptions over graphql-ws on `/graphql`. The
 * gateway connects here on behalf of a caller and forwards the caller's
 * access token in `connectionParams.authorization`; it is verified again,
 * exactly as an HTTP request's bearer token.
 */
export function serveSubscriptions<TContext extends RequestContext>(
  options: SubscriptionServerOptions<TContext>,
): { close(): Promise<void> } {
  const wsServer = new WebSocketServer({ server: options.server, path: '/graphql' });
  const formatError = createFormatError(options.logger);
  const cleanup = useServer(
    {
      schema: options.schema,
      // The same masking as HTTP responses: only deliberate errors reach the caller.
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
      context: async (ctx) =>
        options.extendContext(
          await buildRequestContext(connectionHeaders(ctx.connectionParams), options.jwtSecret, options.logger),
        ),
    },
    wsServer,
  );
  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
