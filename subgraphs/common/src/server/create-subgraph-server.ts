import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { createFormatError } from '../errors/format-error';
import type { Logger } from '../logger';
import { buildRequestContext, type RequestContext } from './context';
import { serveSubscriptions } from '../subscriptions/subscription-server';

export interface SubgraphServerOptions<TContext extends RequestContext> {
  name: string;
  schema: GraphQLSchema;
  jwtSecret: string;
  logger: Logger;
  /** Adds the subgraph's services to the base context. */
  extendContext: (base: RequestContext) => TContext | Promise<TContext>;
  /** Answers `/readyz`: true when every dependency answers. */
  readiness?: () => Promise<boolean>;
  introspection?: boolean;
  /** Extra HTTP routes of the subgraph (e.g. a raw upload endpoint), mounted before `/graphql`. */
  routes?: (app: express.Express) => void;
}

export interface RunningSubgraph {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Builds the express app serving `/graphql` and the health endpoints. */
export async function createSubgraphApp<TContext extends RequestContext>(
  options: SubgraphServerOptions<TContext>,
): Promise<{ app: express.Express; apollo: ApolloServer<TContext> }> {
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    formatError: createFormatError(options.logger),
    introspection: options.introspection ?? false,
    includeStacktraceInErrorResponses: false,
    // Subgraphs sit behind the gateway; CSRF prevention stays on for direct callers too.
    csrfPrevention: true,
    // No Apollo usage reporting anywhere, so no federated traces to build.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.name });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = options.readiness ? await options.readiness().catch(() => false) : true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', service: options.name });
  });
  options.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        options.extendContext(await buildRequestContext(req.headers, options.jwtSecret, options.logger)),
    }),
  );
  return { app, apollo };
}

export async function listenSubgraph<TContext extends RequestContext>(
  options: SubgraphServerOptions<TContext> & { port: number; host?: string },
): Promise<RunningSubgraph> {
  const { app, apollo } = await createSubgraphApp(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  // Subscriptions are served over graphql-ws on the same path, for the gateway to forward to.
  const subscriptions = options.schema.getSubscriptionType() ? serveSubscriptions({ ...options, server }) : null;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    async stop() {
      await subscriptions?.close();
      await apollo.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
