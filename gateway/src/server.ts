import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import type { Database } from '@ciro/db';
import { createFormatError, createLogger, type Identity, type Logger } from '@ciro/subgraph-common';
import { verifyApiKey } from '@ciro/tenancy';
import express, { type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { authenticateRequest } from './auth/authenticate';
import { scopePlugin } from './auth/scope-plugin';
import { requestIdOf, type GatewayContext } from './context';
import { IdentityForwardingDataSource, type SubgraphRequestEvent } from './datasource';
import { checkReadiness } from './health';
import { restFacade } from './rest/rest-facade';
import { meterReadingsUpload } from './rest/meter-readings-upload';
import { invoicePdfRoute } from './rest/invoice-pdf';
import { maxTokensMiddleware, queryLimits } from './limits';
import { disableApolloTelemetry, noPhoneHomePlugins } from './no-telemetry';
import { SUPERGRAPH_PATH, resolveSubgraphUrls, type SubgraphUrls } from './subgraphs';
import { startSubscriptionServer } from './subscriptions/subscription-server';

export interface GatewayOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback unless told otherwise. */
  host?: string;
  database: Database;
  jwtSecret: string;
  /** Per-subgraph URL overrides; others use the URL in the supergraph (the subgraph's default). */
  subgraphUrls?: SubgraphUrls;
  /** Introspection off and field suggestions hidden. */
  production?: boolean;
  logger?: Logger;
  /** Defaults to the committed gateway/supergraph.graphql. */
  supergraphSdl?: string;
  /** Resolves a raw API key; defaults to tenancy's verifyApiKey on `database`. */
  verifyApiKey?: (rawKey: string) => Promise<Identity>;
  /** Observes every call to a subgraph (metrics, tests). */
  onSubgraphRequest?: (event: SubgraphRequestEvent) => void;
}

export interface RunningGateway {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function readSupergraphSdl(path = SUPERGRAPH_PATH): string {
  return readFileSync(path, 'utf8');
}

/** Starts the public gateway over the committed supergraph; used by main.ts and by tests. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  disableApolloTelemetry();
  const logger = options.logger ?? createLogger('gateway');
  const production = options.production ?? false;
  const host = options.host ?? '127.0.0.1';
  const supergraphSdl = options.supergraphSdl ?? readSupergraphSdl();
  const subgraphUrls = resolveSubgraphUrls(options.subgraphUrls);
  const overrides: Record<string, string> = subgraphUrls;
  const resolveApiKey = options.verifyApiKey ?? ((rawKey: string) => verifyApiKey(options.database, rawKey));

  const gateway = new ApolloGateway({
    // Static supergraph: no runtime introspection of subgraphs, no uplink.
    supergraphSdl,
    logger: logger.child({ component: 'apollo-gateway' }),
    __exposeQueryPlanExperimental: !production,
    buildService: ({ name, url }) =>
      new IdentityForwardingDataSource(name, overrides[name] ?? url ?? '', options.onSubgraphRequest),
  });

  // The subscription server validates against the same API schema the gateway serves.
  let apiSchema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate((loaded) => {
    apiSchema = loaded.apiSchema;
  });

  const app = express();
  app.disable('x-powered-by');
  const httpServer: Server = createServer(app);
  const limits = queryLimits({ production });

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger: logger.child({ component: 'apollo-server' }),
    introspection: !production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger),
    validationRules: limits.validationRules,
    plugins: [
      ...noPhoneHomePlugins(),
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: 2000 }),
      ...limits.plugins,
      scopePlugin<GatewayContext>(supergraphSdl),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'gateway' });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await checkReadiness(options.database, subgraphUrls);
    if (!report.ready) logger.warn({ reasons: report.reasons }, 'not ready');
    res
      .status(report.ready ? 200 : 503)
      .json({ status: report.ready ? 'ready' : 'unavailable', checks: report.checks, failed: report.failed });
  });
  const buildContext = async (req: Request, res: Response): Promise<GatewayContext> => {
    const requestId = requestIdOf(req.headers);
    res.setHeader('x-request-id', requestId);
    const caller = await authenticateRequest(req.headers, {
      jwtSecret: options.jwtSecret,
      verifyApiKey: resolveApiKey,
    });
    return { ...caller, requestId, logger: logger.child({ requestId, sub: caller.identity?.subject }) };
  };
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    maxTokensMiddleware(),
    expressMiddleware(apollo, { context: ({ req, res }) => buildContext(req, res) }),
  );
  app.post('/v1/meter-readings/upload', meterReadingsUpload({ meteringUrl: subgraphUrls.metering, buildContext }));
  app.get('/v1/invoices/:id/pdf', invoicePdfRoute(apollo, buildContext));
  app.use('/v1', restFacade(apollo, buildContext));

  const subscriptions = startSubscriptionServer({
    httpServer,
    path: '/graphql',
    supergraphSdl,
    apiSchema: () => apiSchema,
    subgraphUrls,
    authenticate: (headers) =>
      authenticateRequest(headers, { jwtSecret: options.jwtSecret, verifyApiKey: resolveApiKey }),
    validationRules: limits.validationRules,
    logger,
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const displayHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${displayHost}:${port}/graphql`,
    port,
    // The drain plugin closes the HTTP server (and its idle keep-alive sockets) as part of stop();
    // WebSockets are closed first, or the server would wait for them.
    stop: async () => {
      await subscriptions.dispose();
      await apollo.stop();
    },
  };
}
