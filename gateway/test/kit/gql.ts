import type { Stack } from './stack';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GqlBody<TData> {
  data?: TData | null;
  errors?: GqlError[];
}

export interface GqlRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Access token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** API key, sent as `X-Api-Key`. */
  apiKey?: string;
  headers?: Record<string, string>;
}

export interface GqlResult<TData> {
  status: number;
  body: GqlBody<TData>;
  headers: Headers;
  /** What was sent, for failure messages. */
  request: GqlRequest;
}

/** Posts one operation to the gateway as JSON (which CSRF prevention lets through). */
export async function gql<TData = Record<string, unknown>>(
  stack: Pick<Stack, 'gatewayUrl'>,
  request: GqlRequest,
): Promise<GqlResult<TData>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'apollo-require-preflight': 'true',
    ...request.headers,
  };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.apiKey) headers['x-api-key'] = request.apiKey;
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: request.query, variables: request.variables, operationName: request.operationName }),
  });
  const text = await response.text();
  let body: GqlBody<TData>;
  try {
    body = JSON.parse(text) as GqlBody<TData>;
  } catch {
    body = { errors: [{ message: `non-JSON response: ${text.slice(0, 500)}` }] };
  }
  return { status: response.status, body, headers: response.headers, request };
}

/** The operation and the response, to read when an assertion fails. */
export function describeExchange(result: GqlResult<unknown>): string {
  const { query, variables, token, apiKey } = result.request;
  const credential = token ? 'bearer token' : apiKey ? 'API key' : 'anonymous';
  return [
    `operation (${credential}):`,
    query.trim(),
    variables ? `variables: ${JSON.stringify(variables)}` : '',
    `response ${result.status}:`,
    JSON.stringify(result.body, null, 2),
  ]
    .filter(Boolean)
    .join('\n');
}

/** The data of a successful response; throws with the exchange when there are errors or no data. */
export function expectData<TData>(result: GqlResult<TData>): TData {
  if (result.body.errors?.length || result.body.data == null || result.status !== 200) {
    throw new Error(`expected data without errors\n${describeExchange(result)}`);
  }
  return result.body.data;
}

/** The first error with `extensions.code === code`; throws with the exchange otherwise. */
export function expectErrorCode(result: GqlResult<unknown>, code: string): GqlError {
  const error = result.body.errors?.find((e) => e.extensions?.code === code);
  if (!error) throw new Error(`expected an error with code ${code}\n${describeExchange(result)}`);
  return error;
}
