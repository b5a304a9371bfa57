-- drizzle-kit enables RLS for tables with policies but cannot FORCE it. FORCE makes the
-- policies bind the table owner too (migrations, SECURITY DEFINER functions): only a
-- superuser or a BYPASSRLS role could skip them, and the app role is neither.
ALTER TABLE "adjustments" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "billing_periods" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "billing_runs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "clients" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "customers" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "forecasts" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "holidays" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "invoice_lines" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "invoice_number_sequences" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "invoices" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "meter_assignments" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "meters" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "organizations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "payments" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "platform_audit_log" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "rate_set_block_rates" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "rate_sets" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "readings_daily" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "readings_hourly" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "refresh_tokens" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "role_assignments" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tariff_blocks" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tariffs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "uploads" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
