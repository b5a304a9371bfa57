import { numeric, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { timestamptz, updatedAt } from './columns.js';

/**
 * meter_readings is range-partitioned by month on slot_start, which drizzle-kit
 * cannot generate. This file is therefore NOT listed in drizzle.config.ts: the
 * table, its partitions, policies and ensure_meter_reading_partitions() are created
 * by the custom migration `*_meter_readings_partitioned.sql`. This definition only
 * gives queries their types; keep it in step with that migration by hand.
 *
 * Before inserting readings for a new month, call
 * `SELECT ensure_meter_reading_partitions($from, $to)` (rows outside any monthly
 * partition land in meter_readings_default and are moved when the month is created).
 */
export const meterReadings = pgTable(
  'meter_readings',
  {
    clientId: uuid('client_id').notNull(),
    meterId: uuid('meter_id').notNull(),
    slotStart: timestamptz('slot_start').notNull(),
    kwh: numeric('kwh', { precision: 18, scale: 6 }).notNull(),
    kvarh: numeric('kvarh', { precision: 18, scale: 6 }),
    kwhReceived: numeric('kwh_received', { precision: 18, scale: 6 }),
    kvarhReceived: numeric('kvarh_received', { precision: 18, scale: 6 }),
    uploadId: uuid('upload_id'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clientId, t.meterId, t.slotStart] }),
    // (client_id, meter_id) → meters and (client_id, upload_id) → uploads are enforced once per
    // statement by triggers (migration 0009), not by per-row foreign keys: see that migration.
  ],
);

export type MeterReading = typeof meterReadings.$inferSelect;
export type NewMeterReading = typeof meterReadings.$inferInsert;
