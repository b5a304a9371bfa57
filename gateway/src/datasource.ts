import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from './context';

export interface SubgraphRequestEvent {
  subgraph: string;
  url: string;
  operationName: string | null;
}

/**
 * Calls one subgraph on behalf of the caller: forwards the verified identity
 * as a bearer access token (the caller's own JWT, or the short-lived token
 * minted for an API key) and the request id. Subgraphs verify it again.
 */
export class IdentityForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly subgraph: string,
    url: string,
    private readonly onRequest?: (event: SubgraphRequestEvent) => void,
  ) {
    super({ url });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = options.request.http?.headers;
    if (!headers) return;
    // Never pass on what the caller sent; only what the gateway verified.
    headers.delete('authorization');
    // Only incoming operations carry a caller (the request-kind enum is not exported by @apollo/gateway).
    if (!('incomingRequestContext' in options)) return;
    const { context } = options;
    if (context.forwardedToken) headers.set('authorization', `Bearer ${context.forwardedToken}`);
    headers.set('x-request-id', context.requestId);
    this.onRequest?.({ subgraph: this.subgraph, url: this.url, operationName: options.request.operationName ?? null });
    context.logger.debug({ subgraph: this.subgraph, operationName: options.request.operationName }, 'subgraph request');
  }
}
