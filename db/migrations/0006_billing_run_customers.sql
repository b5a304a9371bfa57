CREATE TABLE "billing_run_customers" (
	"client_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"status" text NOT NULL,
	"invoice_id" uuid,
	"total" numeric(14, 2),
	"expected_slots" integer,
	"present_slots" integer,
	"missing_forecast_hours" integer,
	"message" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_run_customers_client_id_run_id_customer_id_pk" PRIMARY KEY("client_id","run_id","customer_id"),
	CONSTRAINT "billing_run_customers_status_check" CHECK (status IN ('DRAFTED', 'NO_READINGS', 'ALREADY_ISSUED', 'NEGATIVE_TOTAL', 'FAILED'))
);
--> statement-breakpoint
ALTER TABLE "billing_run_customers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing_run_customers" ADD CONSTRAINT "billing_run_customers_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_run_customers" ADD CONSTRAINT "billing_run_customers_run_fk" FOREIGN KEY ("client_id","run_id") REFERENCES "public"."billing_runs"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_run_customers" ADD CONSTRAINT "billing_run_customers_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_client_customer_period_live_key" ON "invoices" USING btree ("client_id","customer_id","period") WHERE kind = 'INVOICE' AND status <> 'VOID';--> statement-breakpoint
CREATE POLICY "billing_run_customers_select" ON "billing_run_customers" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (false)))));--> statement-breakpoint
CREATE POLICY "billing_run_customers_insert" ON "billing_run_customers" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_run_customers_update" ON "billing_run_customers" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_run_customers_delete" ON "billing_run_customers" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));