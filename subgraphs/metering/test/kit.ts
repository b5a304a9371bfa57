import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { asSystem, createDb, schema, type Database, type Tx } from '@ciro/db';
import { createLogger, ROLE_SCOPES, signAccessToken, toGlobalId, type Identity } from '@ciro/subgraph-common';
import { inject } from 'vitest';
import { parseCustomerWorkbook } from '../../tenancy/src/customers/customer-workbook.parser';
import { insertTariffFile, tariffFileSchema } from '../../tenancy/src/seed/tariff-file';
import { startMeteringServer, type RunningMetering } from '../src/server';

export const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../shared/samples');
export const METER_WORKBOOK = 'Descargas medidores 2025-09.xlsx';
export const METER_CSV = 'Medidor 5614112 2025-09.csv';
export const readSample = (path: string): Buffer => readFileSync(resolve(SAMPLES, path));

export interface MeteringStack {
  url: string;
  database: Database;
  jwtSecret: string;
  server: RunningMetering;
  /** The stack's own BullMQ key prefix (a test running its own worker consumes it). */
  queuePrefix: string;
  stop(): Promise<void>;
}

/** The compiled parse thread (`npm test` builds first). */
export const PARSE_THREAD_SCRIPT = resolve(__dirname, '../dist/jobs/parse-thread.js');

export interface StartMeteringOptions {
  worker?: boolean;
  /** Another stack's, so one client's tokens work on both (default: a new secret). */
  jwtSecret?: string;
  /**
   * Parse uploads (worker preview and commit) in the compiled parse thread capped at this many MB,
   * given as the server's `parseMaxMemoryMb` setting; by default they are parsed in-process from sources.
   */
  parseMaxMemoryMb?: number;
}

/**
 * The metering subgraph (with its worker unless `worker: false`) on a free port, its own BullMQ
 * prefix, the run's Azurite and database.
 */
export async function startMetering(options: StartMeteringOptions = {}): Promise<MeteringStack> {
  if (options.parseMaxMemoryMb !== undefined && !existsSync(PARSE_THREAD_SCRIPT)) {
    throw new Error(`${PARSE_THREAD_SCRIPT} is missing: run npm run build first`);
  }
  const database = createDb({
    url: process.env.DATABASE_URL ?? inject('databaseUrl'),
    max: 5,
    applicationName: 'metering-tests',
  });
  const jwtSecret = options.jwtSecret ?? randomBytes(32).toString('base64url');
  const queuePrefix = `test-${randomUUID().slice(0, 8)}`;
  const server = await startMeteringServer({
    database,
    port: 0,
    settings: {
      jwtSecret,
      maxUploadBytes: 5 * 1024 * 1024,
      ...(options.parseMaxMemoryMb === undefined ? {} : { parseMaxMemoryMb: options.parseMaxMemoryMb }),
    },
    ...(options.parseMaxMemoryMb === undefined ? {} : { parseThreadScript: PARSE_THREAD_SCRIPT }),
    redis: { url: inject('redisUrl'), queuePrefix },
    blob: { connectionString: inject('azuriteConnectionString') },
    logger: createLogger('metering-test', process.env.LOG_LEVEL ?? 'silent'),
    ...(options.worker === false ? { worker: false } : {}),
  });
  return {
    url: server.url,
    database,
    jwtSecret,
    server,
    queuePrefix,
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}

export interface GqlResult<T> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
  query: string;
  variables: Record<string, unknown> | undefined;
}

/** One operation against the subgraph, as the gateway would send it. */
export async function gql<T = Record<string, unknown>>(
  stack: Pick<MeteringStack, 'url'>,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlResult<T>> {
  const response = await fetch(stack.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollo-require-preflight': 'true',
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GqlResult<T>['body'], query, variables };
}

function describe(result: GqlResult<unknown>): string {
  return `operation:\n${result.query.trim()}\nvariables: ${JSON.stringify(result.variables)?.slice(0, 500)}\nresponse ${result.status}:\n${JSON.stringify(result.body, null, 2).slice(0, 4000)}`;
}

export function expectData<T>(result: GqlResult<T>): T {
  if (result.body.errors?.length || !result.body.data)
    throw new Error(`expected data without errors\n${describe(result)}`);
  return result.body.data;
}

export function expectErrorCode(result: GqlResult<unknown>, code: string): void {
  if (!result.body.errors?.some((e) => e.extensions?.code === code)) {
    throw new Error(`expected an error with code ${code}\n${describe(result)}`);
  }
}

export interface SeededMeter {
  id: string;
  serial: string;
  multiplier: string;
}

export interface SeededClient {
  id: string;
  globalId: string;
  adminUserId: string;
  /** By customer code. */
  customers: Map<string, { id: string; meters: SeededMeter[] }>;
  /** An access token of a client admin (real user row, so uploads record who sent them). */
  adminToken(): Promise<string>;
}

const ASSIGNED_FROM = new Date('2020-01-01T06:00:00Z');

async function insertUser(tx: Tx, label: string): Promise<string> {
  const id = randomUUID();
  await tx.insert(schema.users).values({ id, email: `${label}-${id}@test.ciro.example`, displayName: label });
  return id;
}

function tokenFor(jwtSecret: string, identity: Omit<Identity, 'scopes'>): Promise<string> {
  return signAccessToken({ ...identity, scopes: ROLE_SCOPES[identity.role] }, jwtSecret);
}

/**
 * A client like EIS Power: the MT-H tariff, and the customers and meters of the sample
 * customer workbook (parsed with tenancy's parser), meters assigned since 2020.
 */
export async function seedClient(
  stack: MeteringStack,
  options: { withSampleCustomers?: boolean } = {},
): Promise<SeededClient> {
  const workbook = parseCustomerWorkbook(readSample('customers/Datos de clientes para facturación.xlsx'));
  const tariff = tariffFileSchema.parse(JSON.parse(readSample('tariffs/MT-H.json').toString('utf8')));
  const clientId = randomUUID();
  const organizationId = randomUUID();
  const customers = new Map<string, { id: string; meters: SeededMeter[] }>();
  const adminUserId = await asSystem(stack.database, 'metering test seed', async (tx) => {
    await tx.insert(schema.organizations).values({ id: organizationId, name: 'Test', slug: `t-${organizationId}` });
    await tx.insert(schema.clients).values({
      id: clientId,
      organizationId,
      code: `M${clientId.slice(0, 8).toUpperCase()}`,
      name: 'EIS-like',
    });
    const tariffId = await insertTariffFile(tx, clientId, tariff);
    if (options.withSampleCustomers !== false) {
      for (const c of workbook.customers) {
        const id = randomUUID();
        await tx.insert(schema.customers).values({
          clientId,
          id,
          code: c.code,
          name: c.name,
          tariffId,
          lossFactor: c.lossFactor.toFixed(),
        });
        const meters: SeededMeter[] = [];
        for (const m of c.meters) {
          const meterId = randomUUID();
          await tx.insert(schema.meters).values({
            clientId,
            id: meterId,
            serial: m.serial,
            node: m.node,
            multiplier: m.multiplier.toFixed(),
          });
          await tx
            .insert(schema.meterAssignments)
            .values({ clientId, meterId, customerId: id, validFrom: ASSIGNED_FROM });
          meters.push({ id: meterId, serial: m.serial, multiplier: m.multiplier.toFixed() });
        }
        customers.set(c.code, { id, meters });
      }
    }
    const userId = await insertUser(tx, 'admin');
    await tx.insert(schema.roleAssignments).values({ clientId, userId, role: 'CLIENT_ADMIN' });
    return userId;
  });
  return {
    id: clientId,
    globalId: toGlobalId('Client', clientId, clientId),
    adminUserId,
    customers,
    adminToken: () =>
      tokenFor(stack.jwtSecret, {
        subject: adminUserId,
        userId: adminUserId,
        apiKeyId: null,
        role: 'CLIENT_ADMIN',
        orgId: organizationId,
        clientId,
        customerId: null,
      }),
  };
}

/** A customer user's token (no user row needed for reads). */
export function customerToken(stack: MeteringStack, client: SeededClient, customerId: string): Promise<string> {
  const userId = randomUUID();
  return tokenFor(stack.jwtSecret, {
    subject: userId,
    userId,
    apiKeyId: null,
    role: 'CUSTOMER_USER',
    orgId: null,
    clientId: client.id,
    customerId,
  });
}

export const UPLOAD_FIELDS = /* GraphQL */ `
  id
  clientId
  kind
  fileName
  sha256
  status
  revision
  failure { code message }
  summary { new unchanged replaced customers }
  preview {
    format
    committable
    blockers
    readings
    errorCount
    warningCount
    problems { code severity sheet row column { header letter } value expected message }
    sources {
      sheet
      fileName
      serial
      serialFrom
      match
      meter { id }
      customers { code customer { id } }
      mappingOrigin
      mapping { timestamp consumption kvarh convention columnsConfidence conventionConfidence }
      counts { rows readings rejected missingSlots expectedSlots }
      firstReadings { row slotStart kwh }
      firstRows { row values }
      gaps { from to slots }
      problems { code severity sheet row column { header letter } value expected message range { from to slots } }
    }
  }
`;

export interface UploadView {
  id: string;
  clientId: string;
  kind: string;
  fileName: string;
  sha256: string;
  status: string;
  revision: number;
  failure: { code: string; message: string } | null;
  summary: { new: number; unchanged: number; replaced: number; customers: number } | null;
  preview: {
    format: string | null;
    committable: boolean;
    blockers: string[];
    readings: number;
    errorCount: number;
    warningCount: number;
    problems: ProblemView[];
    sources: {
      sheet: string | null;
      fileName: string | null;
      serial: string | null;
      serialFrom: string | null;
      match: string;
      meter: { id: string } | null;
      customers: { code: string; customer: { id: string } }[];
      mappingOrigin: string;
      mapping: { timestamp: string[]; consumption: string; kvarh: string | null; convention: string };
      counts: { rows: number; readings: number; rejected: number; missingSlots: number; expectedSlots: number | null };
      firstReadings: { row: number; slotStart: string; kwh: string }[];
      firstRows: { row: number; values: (string | null)[] }[];
      gaps: { from: string; to: string; slots: number }[];
      problems: ProblemView[];
    }[];
  } | null;
}

export interface ProblemView {
  code: string;
  severity: string;
  sheet: string | null;
  row: number | null;
  column: { header: string; letter: string } | null;
  value: string | null;
  expected: string | null;
  message: string;
}

const CREATE = /* GraphQL */ `
  mutation CreateUpload($input: CreateUploadInput!) {
    createUpload(input: $input) { outcome upload { ${UPLOAD_FIELDS} } userErrors { field message code } }
  }
`;
const GET = /* GraphQL */ `query Upload($id: ID!) { upload(id: $id) { ${UPLOAD_FIELDS} } }`;
const COMMIT = /* GraphQL */ `
  mutation CommitUpload($input: UploadIdInput!) {
    commitUpload(input: $input) { summary { new unchanged replaced customers } upload { ${UPLOAD_FIELDS} } userErrors { field message code } }
  }
`;

export interface CreateResult {
  createUpload: {
    outcome: string | null;
    upload: UploadView | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

export function createUploadOp(
  stack: MeteringStack,
  token: string,
  input: { clientId: string; fileName: string; bytes: Buffer; kind?: string; period?: string },
): Promise<GqlResult<CreateResult>> {
  return gql<CreateResult>(stack, token, CREATE, {
    input: {
      clientId: input.clientId,
      kind: input.kind ?? 'METER_READINGS',
      fileName: input.fileName,
      contentBase64: input.bytes.toString('base64'),
      ...(input.period ? { period: input.period } : {}),
    },
  });
}

export function getUploadOp(
  stack: MeteringStack,
  token: string,
  id: string,
): Promise<GqlResult<{ upload: UploadView }>> {
  return gql<{ upload: UploadView }>(stack, token, GET, { id });
}

export interface CommitResult {
  commitUpload: {
    summary: { new: number; unchanged: number; replaced: number; customers: number } | null;
    upload: UploadView | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

export function commitUploadOp(stack: MeteringStack, token: string, id: string): Promise<GqlResult<CommitResult>> {
  return gql<CommitResult>(stack, token, COMMIT, { input: { id } });
}

/** Polls the upload until it reaches one of `statuses` (the worker runs in the subgraph process). */
export async function waitForUpload(
  stack: MeteringStack,
  token: string,
  id: string,
  statuses: readonly string[] = ['PREVIEW_READY', 'FAILED'],
  timeoutMs = 30_000,
): Promise<UploadView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const upload = expectData(await getUploadOp(stack, token, id)).upload;
    if (statuses.includes(upload.status)) return upload;
    if (Date.now() > deadline) throw new Error(`upload ${id} is still ${upload.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface RawUploadResponse {
  status: number;
  body: { outcome?: string; upload?: { id: string; status: string }; code?: string; message?: string };
}

/** The subgraph's raw multipart endpoint (what the gateway's POST /v1/meter-readings/upload streams to). */
export async function uploadRaw(
  stack: Pick<MeteringStack, 'url'>,
  token: string | null,
  input: { clientId: string; fileName: string; bytes: Buffer; kind?: string },
): Promise<RawUploadResponse> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(input.bytes)]), input.fileName);
  if (input.kind) form.set('kind', input.kind);
  const url = new URL('/uploads', stack.url);
  url.searchParams.set('clientId', input.clientId);
  const response = await fetch(url, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  return { status: response.status, body: (await response.json()) as RawUploadResponse['body'] };
}

/**
 * Creates an upload and waits for its preview: inline base64 through GraphQL for files up to
 * 1 MB (the JSON body limit is 2 MB), the multipart endpoint for larger ones.
 */
export async function uploadAndPreview(
  stack: MeteringStack,
  token: string,
  input: { clientId: string; fileName: string; bytes: Buffer; kind?: string; period?: string },
): Promise<UploadView> {
  if (input.bytes.length > 1_000_000 && !input.period) {
    const raw = await uploadRaw(stack, token, input);
    if (!raw.body.upload) throw new Error(`upload failed: ${raw.status} ${JSON.stringify(raw.body)}`);
    return waitForUpload(stack, token, raw.body.upload.id);
  }
  const created = expectData(await createUploadOp(stack, token, input)).createUpload;
  if (!created.upload) throw new Error(`createUpload failed: ${JSON.stringify(created.userErrors)}`);
  return waitForUpload(stack, token, created.upload.id);
}
