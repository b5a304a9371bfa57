import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws/client';
import { WebSocket } from 'ws';
import type { Stack } from './stack';

export interface SubscriptionResult<TData> {
  data?: TData | null;
  errors?: readonly GraphQLFormattedError[];
}

export interface OpenSubscription<TData> {
  /** Every result received so far, oldest first. */
  readonly results: SubscriptionResult<TData>[];
  /** Waits for the first result (from `from` on) matching `predicate`. */
  waitFor(
    predicate: (result: SubscriptionResult<TData>) => boolean,
    options?: { timeoutMs?: number; from?: number },
  ): Promise<SubscriptionResult<TData>>;
  /** Resolves when the server completes the subscription; rejects with what its `error` message carried. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

export interface SubscribeRequest {
  query: string;
  variables?: Record<string, unknown>;
  /** Sent as `connectionParams.authorization = "Bearer <token>"`. */
  token?: string;
  /** Sent as `connectionParams.apiKey`. */
  apiKey?: string;
}

/** A graphql-ws client of the gateway (ws:// on the same path as HTTP), one per subscription. */
export function subscribe<TData = Record<string, unknown>>(
  stack: Pick<Stack, 'gatewayUrl'>,
  request: SubscribeRequest,
): OpenSubscription<TData> {
  const url = stack.gatewayUrl.replace(/^http/, 'ws');
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: {
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      ...(request.apiKey ? { apiKey: request.apiKey } : {}),
    },
  });
  const results: SubscriptionResult<TData>[] = [];
  const waiters = new Set<() => void>();
  let finished = false;
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  const ended = new Promise<void>((resolve, reject) => {
    client.subscribe<TData>(
      { query: request.query, ...(request.variables ? { variables: request.variables } : {}) },
      {
        next: (result) => {
          results.push(result);
          notify();
        },
        error: (error: unknown) => {
          finished = true;
          notify();
          reject(error instanceof Error ? error : Object.assign(new Error('subscription error'), { errors: error }));
        },
        complete: () => {
          finished = true;
          notify();
          resolve();
        },
      },
    );
  });
  // Callers that only look at results must not get an unhandled rejection.
  ended.catch(() => {});
  return {
    results,
    ended,
    waitFor(predicate, options = {}) {
      const timeoutMs = options.timeoutMs ?? 15000;
      const from = options.from ?? 0;
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = results.slice(from).find(predicate);
          if (found) {
            cleanup();
            resolve(found);
          } else if (finished) {
            cleanup();
            reject(new Error(`subscription ended without the expected result; got ${JSON.stringify(results)}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no expected result within ${timeoutMs} ms; got ${JSON.stringify(results)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      await client.dispose();
    },
  };
}

/** The GraphQL errors a subscription was refused with (its `error` message), or throws. */
export async function refusal(subscription: OpenSubscription<unknown>): Promise<GraphQLFormattedError[]> {
  try {
    await subscription.ended;
  } catch (error) {
    const errors = (error as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as GraphQLFormattedError[];
    throw error;
  } finally {
    await subscription.close();
  }
  const errors = subscription.results.flatMap((result) => result.errors ?? []);
  if (errors.length > 0) return errors;
  throw new Error(`subscription was not refused: ${JSON.stringify(subscription.results)}`);
}
