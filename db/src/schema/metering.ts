import {
  bigint,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, timestamptz, updatedAt } from './columns.js';
import { tenantPolicies } from './rls.js';
import { clients, customers, users } from './tenancy.js';

const clientId = () =>
  uuid('client_id')
    .notNull()
    .references(() => clients.id);

/** kWh and kW measures: numeric(18,6), read as decimal strings. */
const energy = (name: string) => numeric(name, { precision: 18, scale: 6 });

export const uploads = pgTable(
  'uploads',
  {
    clientId: clientId(),
    id: id(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    contentType: text('content_type'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256').notNull(),
    blobKey: text('blob_key'),
    status: text('status').notNull(),
    detectedMapping: jsonb('detected_mapping'),
    preview: jsonb('preview'),
    stats: jsonb('stats'),
    errors: jsonb('errors'),
    uploadedByUserId: uuid('uploaded_by_user_id').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    committedAt: timestamptz('committed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.id] }),
    index('uploads_client_sha256_idx').on(t.clientId, t.sha256),
    index('uploads_client_created_idx').on(t.clientId, t.createdAt),
    ...tenantPolicies('uploads', 'none'),
  ],
);

export const forecasts = pgTable(
  'forecasts',
  {
    clientId: clientId(),
    customerId: uuid('customer_id').notNull(),
    hourStart: timestamptz('hour_start').notNull(),
    kwh: energy('kwh').notNull(),
    uploadId: uuid('upload_id'),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.customerId, t.hourStart] }),
    foreignKey({
      name: 'forecasts_customer_fk',
      columns: [t.clientId, t.customerId],
      foreignColumns: [customers.clientId, customers.id],
    }),
    foreignKey({
      name: 'forecasts_upload_fk',
      columns: [t.clientId, t.uploadId],
      foreignColumns: [uploads.clientId, uploads.id],
    }),
    ...tenantPolicies('forecasts', 'own'),
  ],
);

const rollupMeasures = () => ({
  block: text('block').notNull(),
  kwh: energy('kwh').notNull(),
  maxKw: energy('max_kw'),
  slotCount: integer('slot_count').notNull().default(0),
});

/** Per customer, hour and tariff block; maintained on ingest. */
export const readingsHourly = pgTable(
  'readings_hourly',
  {
    // No per-row foreign keys: (client_id, customer_id) → customers is checked once per statement
    // by a trigger (migration 0010), as each upload rewrites tens of thousands of these rows.
    clientId: uuid('client_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    hourStart: timestamptz('hour_start').notNull(),
    ...rollupMeasures(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.customerId, t.hourStart, t.block] }),
    ...tenantPolicies('readings_hourly', 'own'),
  ],
);

/** Per customer, local calendar day (client time zone) and tariff block. */
export const readingsDaily = pgTable(
  'readings_daily',
  {
    // Foreign keys checked once per statement, as for readings_hourly (migration 0010).
    clientId: uuid('client_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    ...rollupMeasures(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.customerId, t.day, t.block] }),
    ...tenantPolicies('readings_daily', 'own'),
  ],
);

export type Upload = typeof uploads.$inferSelect;
export type NewUpload = typeof uploads.$inferInsert;
export type Forecast = typeof forecasts.$inferSelect;
export type NewForecast = typeof forecasts.$inferInsert;
export type ReadingHourly = typeof readingsHourly.$inferSelect;
export type NewReadingHourly = typeof readingsHourly.$inferInsert;
export type ReadingDaily = typeof readingsDaily.$inferSelect;
export type NewReadingDaily = typeof readingsDaily.$inferInsert;
