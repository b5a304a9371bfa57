import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@ciro/subgraph-common';
import type { GatewayCaller } from './auth/authenticate';

/** Per-request context of the gateway (a type alias so it satisfies Record<string, unknown> constraints). */
export type GatewayContext = GatewayCaller & {
  requestId: string;
  logger: Logger;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller's `x-request-id` when it is sane, a new UUID otherwise. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const value = headers['x-request-id'];
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : randomUUID();
}
