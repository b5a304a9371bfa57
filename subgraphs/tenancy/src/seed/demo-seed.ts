import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asSystem, schema, type Database, type Tx } from '@ciro/db';
import Decimal from 'decimal.js';
import { and, count, eq } from 'drizzle-orm';
import { generateSecret, generateURI } from 'otplib';
import { hashPassword } from '../auth/password';
import { sealMfaSecret, type SecretBox } from '../auth/secret-box';
import { parseCustomerWorkbook, type ParsedCustomer } from '../customers/customer-workbook.parser';
import { EIS_BRANDING, EIS_FISCAL } from './eis-branding';
import { insertTariffFile, tariffFileSchema } from './tariff-file';

export interface DemoLogin {
  role: 'SYSTEM_ADMIN' | 'CLIENT_ADMIN' | 'CUSTOMER_USER';
  client: string | null;
  customer: string | null;
  email: string;
  /** TOTP secret for admins (MFA is required for them). */
  totpSecret: string | null;
}

export interface DemoSeedResult {
  password: string;
  logins: DemoLogin[];
  warnings: string[];
}

export interface DemoSeedOptions {
  samplesDir: string;
  /** Shared demo password; a random one is generated when absent. */
  password?: string;
  /** Seals the admins' TOTP secrets: the same box (key) as the tenancy subgraph serving this database. */
  mfaSecretBox: SecretBox;
}

const CUSTOMER_WORKBOOK = join('customers', 'Datos de clientes para facturación.xlsx');
const TARIFF_FILE = join('tariffs', 'MT-H.json');
/** Meters count for their customers from well before the sample months. */
const ASSIGNED_FROM = new Date('2020-01-01T06:00:00Z');

/**
 * Seeds the demo tenant when the database holds no organization yet; returns
 * null (and changes nothing) otherwise, so `npm start` can run it every time.
 */
export async function seedDemoIfEmpty(database: Database, options: DemoSeedOptions): Promise<DemoSeedResult | null> {
  const password = options.password ?? randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const workbook = parseCustomerWorkbook(readFileSync(join(options.samplesDir, CUSTOMER_WORKBOOK)));
  const tariff = tariffFileSchema.parse(JSON.parse(readFileSync(join(options.samplesDir, TARIFF_FILE), 'utf8')));
  const mfaSecretBox = options.mfaSecretBox;

  return asSystem(database, 'demo seed on an empty database', async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(schema.organizations);
    if ((existing?.n ?? 0) > 0) return null;

    const logins: DemoLogin[] = [];
    const organizationId = randomUUID();
    await tx.insert(schema.organizations).values({ id: organizationId, name: 'CIRO', slug: 'ciro' });

    const systemAdmin = await insertUser(tx, 'admin@ciro.example', 'CIRO Operations', passwordHash, {
      mfa: mfaSecretBox,
      systemAdmin: true,
    });
    logins.push({
      role: 'SYSTEM_ADMIN',
      client: null,
      customer: null,
      email: systemAdmin.email,
      totpSecret: systemAdmin.totpSecret,
    });

    const eis = await insertClient(tx, organizationId, {
      code: 'EIS',
      name: 'EIS Power',
      legalName: 'EIS Power, S.A. de C.V.',
      ...EIS_FISCAL,
      branding: EIS_BRANDING,
    });
    await insertTariffFile(tx, eis, tariff);
    logins.push(
      await insertClientAdmin(
        tx,
        eis,
        'EIS',
        'admin@eispower.example',
        'Administración EIS Power',
        passwordHash,
        mfaSecretBox,
      ),
    );
    for (const customer of workbook.customers) {
      const customerId = await insertCustomer(tx, eis, customer);
      const email = `${customer.code.toLowerCase()}@portal.eispower.example`;
      logins.push(
        await insertCustomerUser(tx, eis, 'EIS', customerId, customer.code, email, customer.name, passwordHash),
      );
    }

    const valle = await insertClient(tx, organizationId, {
      code: 'EDV',
      name: 'Energía del Valle',
      legalName: 'Energía del Valle, S.A. de C.V.',
      branding: { primaryColor: '#38761D', secondaryColor: '#B6D7A8' },
    });
    await insertTariffFile(tx, valle, tariff);
    logins.push(
      await insertClientAdmin(
        tx,
        valle,
        'EDV',
        'admin@energiadelvalle.example',
        'Administración Energía del Valle',
        passwordHash,
        mfaSecretBox,
      ),
    );
    const valleCustomer = await insertCustomer(tx, valle, {
      code: 'V-0001',
      name: 'Agroindustrias del Valle, S.A. de C.V.',
      nit: '0614-010101-101-1',
      nrc: '12345-6',
      contractedKw: null,
      tariffCode: tariff.code,
      lossFactor: new Decimal('0.02'),
      discount: new Decimal(0),
      deviationTolerance: null,
      meters: [{ serial: '7700001', node: 'San Vicente', multiplier: new Decimal(1), sourceRow: 0 }],
      sourceRows: [],
    });
    logins.push(
      await insertCustomerUser(
        tx,
        valle,
        'EDV',
        valleCustomer,
        'V-0001',
        'v-0001@portal.energiadelvalle.example',
        'Agroindustrias del Valle',
        passwordHash,
      ),
    );

    await tx.insert(schema.platformAuditLog).values({
      actorRole: 'SYSTEM',
      action: 'seed.demo',
      entityType: 'Organization',
      entityId: organizationId,
      after: { clients: ['EIS', 'EDV'], customers: workbook.customers.length + 1 },
    });
    const warnings = workbook.errors.map(
      (e) => `${e.sheet}${e.row ? ` row ${e.row}` : ''}${e.column ? ` column ${e.column.header}` : ''}: ${e.message}`,
    );
    return { password, logins, warnings };
  });
}

async function insertUser(
  tx: Tx,
  email: string,
  displayName: string,
  passwordHash: string,
  /** `mfa`: the box sealing the new user's TOTP secret; null for a user without MFA. */
  options: { mfa: SecretBox | null; systemAdmin?: boolean },
): Promise<{ id: string; email: string; totpSecret: string | null }> {
  const id = randomUUID();
  const totpSecret = options.mfa ? generateSecret() : null;
  const [row] = await tx
    .insert(schema.users)
    .values({
      id,
      email,
      displayName,
      passwordHash,
      locale: 'es',
      isSystemAdmin: options.systemAdmin ?? false,
      // Sealed at rest (AAD: the user id); the plain secret goes only to the demo logins file.
      mfaSecret: options.mfa && totpSecret ? sealMfaSecret(options.mfa, id, totpSecret) : null,
      mfaEnabledAt: totpSecret ? new Date() : null,
    })
    .returning({ id: schema.users.id });
  if (!row) throw new Error('insert into users returned no row');
  return { id: row.id, email, totpSecret };
}

async function insertClient(
  tx: Tx,
  organizationId: string,
  client: {
    code: string;
    name: string;
    legalName: string;
    nit?: string;
    nrc?: string;
    address?: string;
    branding: Record<string, unknown>;
  },
): Promise<string> {
  const id = randomUUID();
  await tx.insert(schema.clients).values({ id, organizationId, ...client });
  return id;
}

async function insertClientAdmin(
  tx: Tx,
  clientId: string,
  clientCode: string,
  email: string,
  displayName: string,
  passwordHash: string,
  mfaSecretBox: SecretBox,
): Promise<DemoLogin> {
  const user = await insertUser(tx, email, displayName, passwordHash, { mfa: mfaSecretBox });
  await tx.insert(schema.roleAssignments).values({ clientId, userId: user.id, role: 'CLIENT_ADMIN' });
  return { role: 'CLIENT_ADMIN', client: clientCode, customer: null, email, totpSecret: user.totpSecret };
}

async function insertCustomerUser(
  tx: Tx,
  clientId: string,
  clientCode: string,
  customerId: string,
  customerCode: string,
  email: string,
  displayName: string,
  passwordHash: string,
): Promise<DemoLogin> {
  const user = await insertUser(tx, email, displayName, passwordHash, { mfa: null });
  await tx.insert(schema.roleAssignments).values({ clientId, userId: user.id, role: 'CUSTOMER_USER', customerId });
  return { role: 'CUSTOMER_USER', client: clientCode, customer: customerCode, email, totpSecret: null };
}

async function insertCustomer(tx: Tx, clientId: string, customer: ParsedCustomer): Promise<string> {
  const [tariff] = await tx
    .select({ id: schema.tariffs.id })
    .from(schema.tariffs)
    .where(and(eq(schema.tariffs.clientId, clientId), eq(schema.tariffs.code, customer.tariffCode)));
  if (!tariff) throw new Error(`Customer ${customer.code} names unknown tariff ${customer.tariffCode}`);
  const tariffId = tariff.id;
  const id = randomUUID();
  await tx.insert(schema.customers).values({
    clientId,
    id,
    code: customer.code,
    name: customer.name,
    nit: customer.nit,
    nrc: customer.nrc,
    contractNumber: customer.contractNumber ?? null,
    address: customer.address ?? null,
    department: customer.department ?? null,
    municipality: customer.municipality ?? null,
    contractedKw: customer.contractedKw?.toFixed() ?? null,
    voltageLevel: customer.voltageLevel ?? null,
    tariffId,
    lossFactor: customer.lossFactor.toFixed(),
    discount: customer.discount.toFixed(),
    deviationTolerance: customer.deviationTolerance?.toFixed() ?? null,
    paymentTermsDays: customer.paymentTermsDays ?? 30,
    billingEmail: customer.billingEmail ?? null,
  });
  for (const meter of customer.meters) {
    const meterId = randomUUID();
    await tx.insert(schema.meters).values({
      clientId,
      id: meterId,
      serial: meter.serial,
      node: meter.node,
      multiplier: meter.multiplier.toFixed(),
    });
    await tx.insert(schema.meterAssignments).values({ clientId, meterId, customerId: id, validFrom: ASSIGNED_FROM });
  }
  return id;
}

/** Text printed by `npm start` and kept in .data/demo-logins.txt. */
export function formatDemoLogins(result: DemoSeedResult): string {
  const lines = ['Demo logins (password for all: ' + result.password + ')'];
  for (const login of result.logins) {
    const who = [login.role, login.client, login.customer].filter(Boolean).join(' ');
    lines.push(`  ${who.padEnd(28)} ${login.email}`);
    if (login.totpSecret) {
      lines.push(
        `  ${''.padEnd(28)} TOTP secret ${login.totpSecret}  (${generateURI({ issuer: 'CIRO Energy Portal', label: login.email, secret: login.totpSecret })})`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
