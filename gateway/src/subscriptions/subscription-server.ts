import type { IncomingHttpHeaders, Server } from 'node:http';
import type { Logger } from '@ciro/subgraph-common';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createClient } from 'graphql-ws/client';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { GatewayCaller } from '../auth/authenticate';
import { assertScopes, buildScopeMap, collectRequirements } from '../auth/scope-plugin';
import { requestIdOf } from '../context';
import { QUERY_LIMITS, countTokens } from '../limits';
import { subscriptionOwners } from './subscription-owners';

/** Subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 25;

export interface SubscriptionServerOptions {
  httpServer: Server;
  /** Same path as the HTTP endpoint. */
  path: string;
  supergraphSdl: string;
  /** The gateway's API schema once loaded (null before). */
  apiSchema: () => GraphQLSchema | null;
  /** HTTP URL of each subgraph's `/graphql`; its WebSocket URL is derived from it. */
  subgraphUrls: Readonly<Record<string, string>>;
  authenticate: (headers: IncomingHttpHeaders) => Promise<GatewayCaller>;
  /** The query limits HTTP operations get (depth, aliases, cost, directives). */
  validationRules: readonly ValidationRule[];
  logger: Logger;
}

/** What one forwarded subscription carries from onSubscribe to subscribe. */
interface ForwardContext {
  caller: GatewayCaller;
  requestId: string;
  subgraph: string;
  query: string;
}

function badRequest(message: string, code = 'BAD_REQUEST'): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** `connectionParams` as the headers an HTTP request would have sent. */
export function headersOfConnectionParams(params: Readonly<Record<string, unknown>> | undefined): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  const text = (...names: string[]) => {
    for (const name of names) {
      const value = params?.[name];
      if (typeof value === 'string') return value;
    }
    return undefined;
  };
  const authorization = text('authorization', 'Authorization');
  const apiKey = text('apiKey', 'x-api-key', 'X-Api-Key');
  const requestId = text('x-request-id', 'requestId');
  if (authorization !== undefined) headers.authorization = authorization;
  if (apiKey !== undefined) headers['x-api-key'] = apiKey;
  if (requestId !== undefined) headers['x-request-id'] = requestId;
  return headers;
}

function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function isFormattedErrors(value: unknown): value is GraphQLFormattedError[] {
  return (
    Array.isArray(value) &&
    value.every(
      (item) =>
        typeof item === 'object' && item !== null && typeof (item as { message?: unknown }).message === 'string',
    )
  );
}

function toGraphQLError(error: GraphQLFormattedError): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.extensions ? { extensions: error.extensions } : {}),
  });
}

/**
 * Serves subscriptions on the gateway (DESIGN §7): @apollo/gateway cannot
 * execute them, so this graphql-ws server authenticates the connection,
 * validates each operation against the supergraph with the same limits and
 * scope rules as HTTP, then forwards it to the one subgraph owning the root
 * field over graphql-ws, with the caller's verified token.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { dispose(): Promise<void> } {
  const owners = subscriptionOwners(options.supergraphSdl);
  const scopeMap = buildScopeMap(options.supergraphSdl);
  const callers = new WeakMap<object, { caller: GatewayCaller; requestId: string }>();
  const active = new WeakMap<object, Set<string>>();
  const logger = options.logger.child({ component: 'subscriptions' });
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path });

  const forward = async function* (args: ExecutionArgs): AsyncGenerator<ExecutionResult> {
    const forwarded = args.contextValue as ForwardContext;
    const url = options.subgraphUrls[forwarded.subgraph];
    if (!url) {
      yield { errors: [badRequest(`No subgraph ${forwarded.subgraph} to forward to`, 'INTERNAL_SERVER_ERROR')] };
      return;
    }
    const client = createClient({
      url: toWebSocketUrl(url),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: {
        ...(forwarded.caller.forwardedToken ? { authorization: `Bearer ${forwarded.caller.forwardedToken}` } : {}),
        'x-request-id': forwarded.requestId,
      },
    });
    try {
      const upstream = client.iterate({
        query: forwarded.query,
        ...(args.operationName ? { operationName: args.operationName } : {}),
        ...(args.variableValues ? { variables: args.variableValues } : {}),
      });
      for await (const result of upstream) {
        yield {
          ...(result.data !== undefined ? { data: result.data } : {}),
          ...(result.errors ? { errors: result.errors.map(toGraphQLError) } : {}),
        };
      }
    } catch (error) {
      if (isFormattedErrors(error)) {
        yield { errors: error.map(toGraphQLError) };
        return;
      }
      logger.warn({ err: error, subgraph: forwarded.subgraph }, 'subscription upstream failed');
      yield {
        errors: [
          new GraphQLError(`The ${forwarded.subgraph} service is unavailable; subscribe again later`, {
            extensions: { code: 'SERVICE_UNAVAILABLE' },
          }),
        ],
      };
    } finally {
      await client.dispose();
    }
  };

  const server = useServer(
    {
      onConnect: async (ctx) => {
        const headers = headersOfConnectionParams(ctx.connectionParams);
        const requestId = requestIdOf(headers);
        callers.set(ctx, { caller: await options.authenticate(headers), requestId });
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        const connection = callers.get(ctx);
        const schema = options.apiSchema();
        if (!connection || !schema) return [badRequest('The gateway is not ready yet', 'SERVICE_UNAVAILABLE')];
        const query = payload.query;
        const tokens = countTokens(query, QUERY_LIMITS.maxTokens);
        if (tokens !== null && tokens > QUERY_LIMITS.maxTokens) {
          return [
            badRequest(`Syntax Error: Token limit of ${QUERY_LIMITS.maxTokens} exceeded.`, 'GRAPHQL_VALIDATION_FAILED'),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch (error) {
          if (error instanceof GraphQLError) {
            return [new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
          }
          throw error;
        }
        const errors = validate(schema, document, [...specifiedRules, ...options.validationRules]);
        if (errors.length > 0) {
          return errors.map(
            (error) =>
              new GraphQLError(error.message, {
                nodes: error.nodes,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...error.extensions },
              }),
          );
        }
        const operationName = payload.operationName ?? null;
        const operation = getOperationAST(document, operationName);
        if (!operation) return [badRequest('Name the operation to run (operationName)')];
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
          return [badRequest('Only subscriptions are served over WebSocket; send queries and mutations by HTTP POST')];
        }
        const rootField = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
        const subgraph = rootField?.kind === Kind.FIELD ? owners.get(rootField.name.value) : undefined;
        if (!subgraph) return [badRequest('Unknown subscription')];
        try {
          assertScopes(connection.caller, collectRequirements(schema, document, operation, scopeMap));
        } catch (error) {
          if (error instanceof GraphQLError) {
            const { http: _http, ...extensions } = error.extensions;
            return [new GraphQLError(error.message, { extensions })];
          }
          throw error;
        }
        const subscriptions = active.get(ctx) ?? new Set<string>();
        active.set(ctx, subscriptions);
        if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            badRequest(
              `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection`,
              'TOO_MANY_SUBSCRIPTIONS',
            ),
          ];
        }
        subscriptions.add(id);
        const contextValue: ForwardContext = { ...connection, subgraph, query };
        logger.debug({ requestId: connection.requestId, subgraph, operationName }, 'subscription forwarded');
        return {
          schema,
          document,
          operationName,
          variableValues: payload.variables ?? null,
          contextValue,
        };
      },
      onComplete: (ctx, id) => {
        active.get(ctx)?.delete(id);
      },
      subscribe: (args) => forward(args),
    },
    wsServer,
  );
  return {
    async dispose() {
      await server.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
