import { randomBytes } from 'node:crypto';
import { createDb, type Database } from '@ciro/db';
import { configureRenderQueue, createLogger, type RunningSubgraph } from '@ciro/subgraph-common';
import { startBillingServer } from '@ciro/billing';
import { InvoiceBlobStore, PdfRenderer, startDocumentsServer } from '@ciro/documents';
import { startMeteringServer } from '@ciro/metering';
import { startTenancyServer } from '@ciro/tenancy';
import { inject } from 'vitest';
import { startGateway, type GatewayOptions, type RunningGateway, type SubgraphRequestEvent } from '../../src';

export interface Stack {
  /** The gateway's GraphQL endpoint. */
  gatewayUrl: string;
  /** The gateway's origin, for /healthz and /readyz. */
  baseUrl: string;
  database: Database;
  jwtSecret: string;
  /** Every request the gateway sent to a subgraph, oldest first. */
  subgraphRequests: SubgraphRequestEvent[];
  tenancyUrl: string;
  billingUrl: string;
  meteringUrl: string;
  documentsUrl: string;
  /** Stops the tenancy subgraph only (to test /readyz); stop() still cleans up the rest. */
  stopTenancy(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  production?: boolean;
  /** Default true, as in production. */
  mfaRequiredForAdmins?: boolean;
  /**
   * Issued invoices are rendered as in production: billing queues one render job per invoice (on a queue of this
   * stack's own) and the documents subgraph's worker renders it and announces it on the run's progress channel.
   */
  renderQueue?: boolean;
  /** Extra gateway options (e.g. a stub subgraph URL). */
  gateway?: Partial<Pick<GatewayOptions, 'subgraphUrls' | 'verifyApiKey'>>;
}

/** The test database of this run (app role, RLS enforced), created by the vitest global setup. */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? inject('databaseUrl');
}

/**
 * Starts the tenancy and billing subgraphs and the gateway on free ports against the test
 * database, with a fresh random JWT secret. Call stop() in afterAll.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const jwtSecret = randomBytes(32).toString('base64url');
  const database = createDb({ url: testDatabaseUrl(), max: 5, applicationName: 'gateway-tests' });
  const logger = createLogger('test', process.env.LOG_LEVEL ?? 'silent');
  const subgraphRequests: SubgraphRequestEvent[] = [];
  let tenancy: RunningSubgraph | null = null;
  let billing: RunningSubgraph | null = null;
  let metering: RunningSubgraph | null = null;
  let documents: RunningSubgraph | null = null;
  // Chromium starts only when a test renders a PDF.
  const renderer = new PdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  let gateway: RunningGateway;
  try {
    tenancy = await startTenancyServer({
      database,
      port: 0,
      logger: logger.child({ service: 'tenancy' }),
      settings: { jwtSecret, mfaRequiredForAdmins: options.mfaRequiredForAdmins ?? true, refreshTokenTtlDays: 30 },
    });
    billing = await startBillingServer({
      database,
      port: 0,
      logger: logger.child({ service: 'billing' }),
      settings: { jwtSecret },
    });
    metering = await startMeteringServer({
      database,
      port: 0,
      logger: logger.child({ service: 'metering' }),
      settings: { jwtSecret },
      // Its own BullMQ prefix: jobs of this stack never reach another test file's worker.
      redis: { url: inject('redisUrl'), queuePrefix: `test-${randomBytes(4).toString('hex')}` },
      blob: { connectionString: inject('azuriteConnectionString') },
    });
    const renderQueue = options.renderQueue
      ? { redisUrl: inject('redisUrl'), prefix: `test-render-${randomBytes(4).toString('hex')}` }
      : null;
    if (renderQueue) await configureRenderQueue(renderQueue);
    documents = await startDocumentsServer({
      database,
      port: 0,
      logger: logger.child({ service: 'documents' }),
      ...(renderQueue ? { queue: { ...renderQueue, worker: { concurrency: 1 } } } : {}),
      settings: { jwtSecret, pdfUrlTtlSeconds: 300 },
      storage: new InvoiceBlobStore(inject('azuriteConnectionString')),
      renderer,
    });
    gateway = await startGateway({
      port: 0,
      database,
      jwtSecret,
      production: options.production ?? false,
      logger: logger.child({ service: 'gateway' }),
      subgraphUrls: {
        tenancy: tenancy.url,
        billing: billing.url,
        metering: metering.url,
        documents: documents.url,
        ...options.gateway?.subgraphUrls,
      },
      ...(options.gateway?.verifyApiKey ? { verifyApiKey: options.gateway.verifyApiKey } : {}),
      onSubgraphRequest: (event) => subgraphRequests.push(event),
    });
  } catch (error) {
    await tenancy?.stop();
    await billing?.stop();
    await metering?.stop();
    await documents?.stop();
    if (options.renderQueue) await configureRenderQueue(null);
    await renderer.close();
    await database.close();
    throw error;
  }
  const running = { tenancy, billing, metering, documents, gateway };
  let tenancyStopped = false;
  const stopTenancy = async () => {
    if (tenancyStopped) return;
    tenancyStopped = true;
    await running.tenancy.stop();
  };
  return {
    gatewayUrl: gateway.url,
    baseUrl: new URL(gateway.url).origin,
    database,
    jwtSecret,
    subgraphRequests,
    tenancyUrl: tenancy.url,
    billingUrl: billing.url,
    meteringUrl: metering.url,
    documentsUrl: documents.url,
    stopTenancy,
    async stop() {
      await running.gateway.stop();
      await stopTenancy();
      await running.billing.stop();
      await running.metering.stop();
      await running.documents.stop();
      if (options.renderQueue) await configureRenderQueue(null);
      await renderer.close();
      await database.close();
    },
  };
}
