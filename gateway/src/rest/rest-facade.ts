import type { ApolloServer } from '@apollo/server';
import express, { type Request, type Response, type Router } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context';

/** The one GraphQL operation a REST route runs, with its variables built from the request. */
interface RouteOperation {
  method: 'GET' | 'POST';
  query: string;
  /** The mutation/query field whose value is the route's response body. */
  field: string;
  variables(req: Request): Record<string, unknown>;
  /** HTTP status of a success (201 for creations). */
  successStatus?: number;
  /** Bulk routes save the valid items and list the rest in userErrors: still a 200. */
  partialSuccess?: boolean;
}

const STATUS_BY_CODE: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
};

const USER_ERRORS = 'userErrors { field message code }';

/** `POST /v1/clients`: onboard a client (system administrators). Body: CreateClientInput. */
const createClient: RouteOperation = {
  method: 'POST',
  query: `mutation RestCreateClient($input: CreateClientInput!) {
    createClient(input: $input) { client { id code name legalName timeZone currency vatRate } ${USER_ERRORS} } }`,
  field: 'createClient',
  variables: (req) => ({ input: req.body as unknown }),
  successStatus: 201,
};

/** `POST /v1/customers`: bulk upsert. Body: { clientId, customers: [...] } (UpsertCustomersInput). */
const upsertCustomers: RouteOperation = {
  method: 'POST',
  query: `mutation RestUpsertCustomers($input: UpsertCustomersInput!) {
    upsertCustomers(input: $input) { created updated unchanged metersCreated
      customers { id code name } ${USER_ERRORS} } }`,
  field: 'upsertCustomers',
  variables: (req) => ({ input: req.body as unknown }),
  partialSuccess: true,
};

/** `POST /v1/billing/run`: bill a client's period. Body: { clientId, period: "YYYY-MM" }. */
const runBilling: RouteOperation = {
  method: 'POST',
  query: `mutation RestRunBilling($input: RunBillingInput!) {
    runBilling(input: $input) { billingRun { id period status progress total
      counts { drafted noReadings alreadyIssued negativeTotal failed } } ${USER_ERRORS} } }`,
  field: 'runBilling',
  variables: (req) => ({ input: req.body as unknown }),
  successStatus: 201,
};

/** `GET /v1/customers/:id/invoices?period=YYYY-MM&status=ISSUED&first=25&after=…`: a customer's invoices. */
const customerInvoices: RouteOperation = {
  method: 'GET',
  query: `query RestCustomerInvoices($id: ID!, $first: Int, $after: String, $period: YearMonth, $status: InvoiceStatus) {
    customer(id: $id) { id code name
      invoices(first: $first, after: $after, period: $period, status: $status) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { id number kind status period currency subtotal vat total paidAmount balance issuedAt dueDate } } } } }`,
  field: 'customer',
  variables: (req) => {
    const query = req.query as Record<string, string | undefined>;
    return {
      id: req.params.id,
      ...(query.first ? { first: Number(query.first) } : {}),
      ...(query.after ? { after: query.after } : {}),
      ...(query.period ? { period: query.period } : {}),
      ...(query.status ? { status: query.status } : {}),
    };
  },
};

interface OperationResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

function userErrorCount(payload: unknown): number {
  if (typeof payload !== 'object' || payload === null || !('userErrors' in payload)) return 0;
  return Array.isArray(payload.userErrors) ? payload.userErrors.length : 0;
}

function codeOf(error: GraphQLFormattedError | undefined): string {
  const code = error?.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

function statusOf(errors: readonly GraphQLFormattedError[]): number {
  for (const error of errors) {
    const status = STATUS_BY_CODE[codeOf(error)];
    if (status) return status;
  }
  return 500;
}

/**
 * The REST facade of DESIGN §8: each route runs one GraphQL operation through
 * the same Apollo server (limits, @scopes check, subgraph checks), so REST and
 * GraphQL callers get exactly the same authorization; a refusal is the HTTP
 * status of its `extensions.code` (401, 403, 404, 400).
 */
export function restFacade(
  apollo: ApolloServer<GatewayContext>,
  buildContext: (req: Request, res: Response) => Promise<GatewayContext>,
): Router {
  const router = express.Router();
  router.use(express.json({ limit: '5mb' }));

  const route = (operation: RouteOperation) => async (req: Request, res: Response) => {
    if (operation.method === 'POST' && (typeof req.body !== 'object' || req.body === null)) {
      res
        .status(400)
        .json({ code: 'BAD_USER_INPUT', message: 'Send a JSON object body (content-type: application/json)' });
      return;
    }
    const contextValue = await buildContext(req, res);
    const response = await apollo.executeOperation(
      { query: operation.query, variables: operation.variables(req) },
      { contextValue },
    );
    if (response.body.kind !== 'single') {
      res.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected incremental response' });
      return;
    }
    const result = response.body.singleResult as OperationResult;
    if (result.errors?.length) {
      const status = statusOf(result.errors);
      res.status(status).json({
        code: codeOf(result.errors[0]),
        message: result.errors[0]?.message ?? 'Request failed',
        errors: result.errors.map((e) => ({ message: e.message, code: codeOf(e) })),
      });
      return;
    }
    const payload = result.data?.[operation.field] ?? null;
    const rejected = !operation.partialSuccess && userErrorCount(payload) > 0;
    // Input the caller can fix: 422 with the field-by-field problems.
    res.status(rejected ? 422 : (operation.successStatus ?? 200)).json(payload);
  };

  router.post('/clients', route(createClient));
  router.post('/customers', route(upsertCustomers));
  router.post('/billing/run', route(runBilling));
  router.get('/customers/:id/invoices', route(customerInvoices));
  return router;
}
