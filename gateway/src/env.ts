import { loadEnv, subgraphEnvSchema } from '@ciro/subgraph-common';
import { z } from 'zod';
import { SUBGRAPHS, type SubgraphUrls } from './subgraphs';

const subgraphUrlShape = Object.fromEntries(
  SUBGRAPHS.map((subgraph) => [subgraph.urlEnv, z.string().url().optional()]),
) as Record<(typeof SUBGRAPHS)[number]['urlEnv'], z.ZodOptional<z.ZodString>>;

/** NODE_ENV, LOG_LEVEL, JWT_SECRET, DATABASE_URL, DATABASE_POOL_MAX come from the shared schema. */
export const gatewayEnvSchema = subgraphEnvSchema.extend({
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Loopback by default: nothing listens publicly unless a deployment says so. */
  GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  ...subgraphUrlShape,
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

/** The only reader of process.env in the gateway; reports every problem at once. */
export function readGatewayEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  return loadEnv(gatewayEnvSchema, source);
}

/** SUBGRAPH_<NAME>_URL overrides, keyed by subgraph name. */
export function subgraphUrlsFromEnv(env: GatewayEnv): SubgraphUrls {
  const urls: SubgraphUrls = {};
  for (const subgraph of SUBGRAPHS) {
    const url = env[subgraph.urlEnv];
    if (url) urls[subgraph.name] = url;
  }
  return urls;
}
