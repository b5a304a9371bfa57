import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** `timestamp with time zone`, as a JS Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => timestamptz('created_at').notNull().defaultNow();

/** Kept current by the application (drizzle's $onUpdate), not by a trigger. */
export const updatedAt = () =>
  timestamptz('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const id = () => uuid('id').notNull().defaultRandom();

/** A billing period 'YYYY-MM'. */
export const periodCheckSql = (column: string) => `${column} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`;
