import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, periodCheckSql, timestamptz, updatedAt } from './columns.js';
import { ctx, tenantPolicies } from './rls.js';
import { clients, customers, users } from './tenancy.js';

const clientId = () =>
  uuid('client_id')
    .notNull()
    .references(() => clients.id);

const money = (name: string) => numeric(name, { precision: 14, scale: 2 });
const rate = (name: string) => numeric(name, { precision: 14, scale: 6 });

export const DAY_TYPES = ['ALL', 'WEEKDAY', 'WEEKEND', 'HOLIDAY'] as const;
export const INVOICE_KINDS = ['INVOICE', 'CREDIT_NOTE'] as const;

export const tariffs = pgTable(
  'tariffs',
  {
    clientId: clientId(),
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    uniqueIndex('tariffs_client_code_key').on(t.clientId, t.code),
    ...tenantPolicies('tariffs', 'all'),
  ],
);

/** A time-of-use block: minutes [start_minute, end_minute) of a day of the given type. */
export const tariffBlocks = pgTable(
  'tariff_blocks',
  {
    clientId: clientId(),
    id: id(),
    tariffId: uuid('tariff_id').notNull(),
    block: text('block').notNull(),
    dayType: text('day_type', { enum: DAY_TYPES }).notNull().default('ALL'),
    startMinute: integer('start_minute').notNull(),
    endMinute: integer('end_minute').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    foreignKey({
      name: 'tariff_blocks_tariff_fk',
      columns: [t.clientId, t.tariffId],
      foreignColumns: [tariffs.clientId, tariffs.id],
    }).onDelete('cascade'),
    index('tariff_blocks_tariff_idx').on(t.clientId, t.tariffId),
    check('tariff_blocks_day_type_check', sql`day_type IN ('ALL', 'WEEKDAY', 'WEEKEND', 'HOLIDAY')`),
    check(
      'tariff_blocks_minutes_check',
      sql`start_minute >= 0 AND start_minute < 1440 AND end_minute > 0 AND end_minute <= 1440`,
    ),
    ...tenantPolicies('tariff_blocks', 'all'),
  ],
);

export const holidays = pgTable(
  'holidays',
  {
    clientId: clientId(),
    day: date('day', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.day] }), ...tenantPolicies('holidays', 'all')],
);

/** Rates of a tariff effective from valid_from until the next rate set. */
export const rateSets = pgTable(
  'rate_sets',
  {
    clientId: clientId(),
    id: id(),
    tariffId: uuid('tariff_id').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    demandRate: rate('demand_rate'),
    ftpmsRate: rate('ftpms_rate'),
    deviationRate: rate('deviation_rate'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    unique('rate_sets_tariff_valid_from_key').on(t.clientId, t.tariffId, t.validFrom),
    foreignKey({
      name: 'rate_sets_tariff_fk',
      columns: [t.clientId, t.tariffId],
      foreignColumns: [tariffs.clientId, tariffs.id],
    }),
    ...tenantPolicies('rate_sets', 'all'),
  ],
);

export const rateSetBlockRates = pgTable(
  'rate_set_block_rates',
  {
    clientId: clientId(),
    rateSetId: uuid('rate_set_id').notNull(),
    block: text('block').notNull(),
    energyRate: rate('energy_rate').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.rateSetId, t.block] }),
    foreignKey({
      name: 'rate_set_block_rates_rate_set_fk',
      columns: [t.clientId, t.rateSetId],
      foreignColumns: [rateSets.clientId, rateSets.id],
    }).onDelete('cascade'),
    ...tenantPolicies('rate_set_block_rates', 'all'),
  ],
);

export const billingPeriods = pgTable(
  'billing_periods',
  {
    clientId: clientId(),
    id: id(),
    period: text('period').notNull(),
    status: text('status').notNull().default('OPEN'),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    unique('billing_periods_client_period_key').on(t.clientId, t.period),
    check('billing_periods_period_check', sql.raw(periodCheckSql('period'))),
    ...tenantPolicies('billing_periods', 'all'),
  ],
);

export const billingRuns = pgTable(
  'billing_runs',
  {
    clientId: clientId(),
    id: id(),
    period: text('period').notNull(),
    status: text('status').notNull(),
    progress: integer('progress').notNull().default(0),
    total: integer('total').notNull().default(0),
    counts: jsonb('counts'),
    errors: jsonb('errors'),
    startedByUserId: uuid('started_by_user_id').references(() => users.id),
    createdAt: createdAt(),
    finishedAt: timestamptz('finished_at'),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    index('billing_runs_client_period_idx').on(t.clientId, t.period),
    check('billing_runs_period_check', sql.raw(periodCheckSql('period'))),
    ...tenantPolicies('billing_runs', 'none'),
  ],
);

export const BILLING_RUN_CUSTOMER_STATUSES = [
  'DRAFTED',
  'NO_READINGS',
  'ALREADY_ISSUED',
  'NEGATIVE_TOTAL',
  'FAILED',
] as const;

/** One customer's outcome in a billing run (one row per child job, so a crashed run can be resumed). */
export const billingRunCustomers = pgTable(
  'billing_run_customers',
  {
    clientId: clientId(),
    runId: uuid('run_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    status: text('status', { enum: BILLING_RUN_CUSTOMER_STATUSES }).notNull(),
    /** The draft written (DRAFTED) or the issued invoice left alone (ALREADY_ISSUED); no FK: a later run replaces drafts. */
    invoiceId: uuid('invoice_id'),
    total: money('total'),
    expectedSlots: integer('expected_slots'),
    presentSlots: integer('present_slots'),
    missingForecastHours: integer('missing_forecast_hours'),
    message: text('message'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.runId, t.customerId] }),
    foreignKey({
      name: 'billing_run_customers_run_fk',
      columns: [t.clientId, t.runId],
      foreignColumns: [billingRuns.clientId, billingRuns.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'billing_run_customers_customer_fk',
      columns: [t.clientId, t.customerId],
      foreignColumns: [customers.clientId, customers.id],
    }),
    check(
      'billing_run_customers_status_check',
      sql`status IN ('DRAFTED', 'NO_READINGS', 'ALREADY_ISSUED', 'NEGATIVE_TOTAL', 'FAILED')`,
    ),
    ...tenantPolicies('billing_run_customers', 'none'),
  ],
);

export const invoices = pgTable(
  'invoices',
  {
    clientId: clientId(),
    id: id(),
    customerId: uuid('customer_id').notNull(),
    period: text('period').notNull(),
    billingRunId: uuid('billing_run_id'),
    kind: text('kind', { enum: INVOICE_KINDS }).notNull().default('INVOICE'),
    creditNoteOf: uuid('credit_note_of'),
    number: text('number'),
    fiscalYear: integer('fiscal_year'),
    sequence: integer('sequence'),
    status: text('status').notNull().default('DRAFT'),
    currency: text('currency').notNull(),
    subtotal: money('subtotal').notNull(),
    vat: money('vat').notNull(),
    total: money('total').notNull(),
    vatRate: numeric('vat_rate', { precision: 7, scale: 6 }).notNull(),
    issuedAt: timestamptz('issued_at'),
    dueDate: date('due_date', { mode: 'string' }),
    paidAmount: money('paid_amount').notNull().default('0'),
    voidedAt: timestamptz('voided_at'),
    voidReason: text('void_reason'),
    pdfBlobKey: text('pdf_blob_key'),
    pdfStatus: text('pdf_status'),
    pdfError: text('pdf_error'),
    dteJson: jsonb('dte_json'),
    dataQuality: jsonb('data_quality'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    foreignKey({
      name: 'invoices_customer_fk',
      columns: [t.clientId, t.customerId],
      foreignColumns: [customers.clientId, customers.id],
    }),
    foreignKey({
      name: 'invoices_billing_run_fk',
      columns: [t.clientId, t.billingRunId],
      foreignColumns: [billingRuns.clientId, billingRuns.id],
    }),
    foreignKey({
      name: 'invoices_credit_note_of_fk',
      columns: [t.clientId, t.creditNoteOf],
      foreignColumns: [t.clientId, t.id],
    }),
    index('invoices_client_customer_period_idx').on(t.clientId, t.customerId, t.period),
    index('invoices_client_period_status_idx').on(t.clientId, t.period, t.status),
    index('invoices_client_billing_run_idx').on(t.clientId, t.billingRunId),
    uniqueIndex('invoices_client_number_key')
      .on(t.clientId, t.number)
      .where(sql`number IS NOT NULL`),
    // One live invoice per customer and period: a billing run replaces its draft, never adds a second one.
    uniqueIndex('invoices_client_customer_period_live_key')
      .on(t.clientId, t.customerId, t.period)
      .where(sql`kind = 'INVOICE' AND status <> 'VOID'`),
    check('invoices_period_check', sql.raw(periodCheckSql('period'))),
    check('invoices_kind_check', sql`kind IN ('INVOICE', 'CREDIT_NOTE')`),
    check('invoices_credit_note_check', sql`(kind = 'CREDIT_NOTE') = (credit_note_of IS NOT NULL)`),
    ...tenantPolicies('invoices', 'own'),
  ],
);

/** Customer users read the lines of the invoices they can read. */
const throughInvoice = (table: string) => ({
  predicate:
    `EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = ${table}.client_id ` +
    `AND i.id = ${table}.invoice_id AND i.customer_id = ${ctx.customerId})`,
});

export const invoiceLines = pgTable(
  'invoice_lines',
  {
    clientId: clientId(),
    invoiceId: uuid('invoice_id').notNull(),
    lineNo: integer('line_no').notNull(),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    quantity: numeric('quantity', { precision: 20, scale: 6 }),
    unit: text('unit'),
    rate: rate('rate'),
    rateSplit: jsonb('rate_split'),
    amount: money('amount').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.invoiceId, t.lineNo] }),
    foreignKey({
      name: 'invoice_lines_invoice_fk',
      columns: [t.clientId, t.invoiceId],
      foreignColumns: [invoices.clientId, invoices.id],
    }).onDelete('cascade'),
    ...tenantPolicies('invoice_lines', throughInvoice('invoice_lines')),
  ],
);

/** Last fiscal number handed out per client and year; lock the row to number an invoice. */
export const invoiceNumberSequences = pgTable(
  'invoice_number_sequences',
  {
    clientId: clientId(),
    year: integer('year').notNull(),
    lastNumber: integer('last_number').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.year] }), ...tenantPolicies('invoice_number_sequences', 'none')],
);

export const adjustments = pgTable(
  'adjustments',
  {
    clientId: clientId(),
    id: id(),
    customerId: uuid('customer_id').notNull(),
    period: text('period').notNull(),
    description: text('description').notNull(),
    amount: money('amount').notNull(),
    invoiceId: uuid('invoice_id'),
    createdByUserId: uuid('created_by_user_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    foreignKey({
      name: 'adjustments_customer_fk',
      columns: [t.clientId, t.customerId],
      foreignColumns: [customers.clientId, customers.id],
    }),
    foreignKey({
      name: 'adjustments_invoice_fk',
      columns: [t.clientId, t.invoiceId],
      foreignColumns: [invoices.clientId, invoices.id],
    }),
    index('adjustments_client_customer_period_idx').on(t.clientId, t.customerId, t.period),
    check('adjustments_period_check', sql.raw(periodCheckSql('period'))),
    ...tenantPolicies('adjustments', 'own'),
  ],
);

export const payments = pgTable(
  'payments',
  {
    clientId: clientId(),
    id: id(),
    invoiceId: uuid('invoice_id').notNull(),
    amount: money('amount').notNull(),
    paidAt: timestamptz('paid_at').notNull(),
    method: text('method'),
    reference: text('reference'),
    recordedByUserId: uuid('recorded_by_user_id').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    foreignKey({
      name: 'payments_invoice_fk',
      columns: [t.clientId, t.invoiceId],
      foreignColumns: [invoices.clientId, invoices.id],
    }),
    index('payments_client_invoice_idx').on(t.clientId, t.invoiceId),
    ...tenantPolicies('payments', throughInvoice('payments')),
  ],
);

export type Tariff = typeof tariffs.$inferSelect;
export type NewTariff = typeof tariffs.$inferInsert;
export type TariffBlock = typeof tariffBlocks.$inferSelect;
export type NewTariffBlock = typeof tariffBlocks.$inferInsert;
export type Holiday = typeof holidays.$inferSelect;
export type NewHoliday = typeof holidays.$inferInsert;
export type RateSet = typeof rateSets.$inferSelect;
export type NewRateSet = typeof rateSets.$inferInsert;
export type RateSetBlockRate = typeof rateSetBlockRates.$inferSelect;
export type NewRateSetBlockRate = typeof rateSetBlockRates.$inferInsert;
export type BillingPeriod = typeof billingPeriods.$inferSelect;
export type NewBillingPeriod = typeof billingPeriods.$inferInsert;
export type BillingRun = typeof billingRuns.$inferSelect;
export type NewBillingRun = typeof billingRuns.$inferInsert;
export type BillingRunCustomer = typeof billingRunCustomers.$inferSelect;
export type NewBillingRunCustomer = typeof billingRunCustomers.$inferInsert;
export type Invoice = typeof invoices.$inferSelect;
export type NewInvoice = typeof invoices.$inferInsert;
export type InvoiceLine = typeof invoiceLines.$inferSelect;
export type NewInvoiceLine = typeof invoiceLines.$inferInsert;
export type InvoiceNumberSequence = typeof invoiceNumberSequences.$inferSelect;
export type NewInvoiceNumberSequence = typeof invoiceNumberSequences.$inferInsert;
export type Adjustment = typeof adjustments.$inferSelect;
export type NewAdjustment = typeof adjustments.$inferInsert;
export type Payment = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;
