import { defineConfig } from 'drizzle-kit';

// meter_readings (src/schema/meter-readings.ts) is deliberately absent: it is a
// partitioned table, created by a custom migration.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/schema/tenancy.ts', './src/schema/metering.ts', './src/schema/billing.ts'],
  out: './migrations',
  strict: true,
  verbose: true,
});
