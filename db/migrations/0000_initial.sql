CREATE TABLE "api_keys" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"customer_id" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "api_keys_prefix_unique" UNIQUE("prefix")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "audit_log" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_api_key_id" uuid,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	CONSTRAINT "audit_log_client_id_id_pk" PRIMARY KEY("client_id","id")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"legal_name" text,
	"nit" text,
	"nrc" text,
	"address" text,
	"time_zone" text DEFAULT 'America/El_Salvador' NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"vat_rate" numeric(7, 6) DEFAULT '0.13' NOT NULL,
	"branding" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"locale" text DEFAULT 'es' NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clients_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "clients" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "customers" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"legal_name" text,
	"nit" text,
	"nrc" text,
	"contract_number" text,
	"address" text,
	"contracted_kw" numeric(14, 3),
	"voltage_level" text,
	"tariff_id" uuid,
	"loss_factor" numeric(12, 8) DEFAULT '0' NOT NULL,
	"discount" numeric(12, 8) DEFAULT '0' NOT NULL,
	"deviation_tolerance" numeric(12, 8),
	"payment_terms_days" integer DEFAULT 30 NOT NULL,
	"billing_email" text,
	"locale" text DEFAULT 'es' NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_client_id_id_pk" PRIMARY KEY("client_id","id")
);
--> statement-breakpoint
ALTER TABLE "customers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meter_assignments" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"meter_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	CONSTRAINT "meter_assignments_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "meter_assignments_range_check" CHECK (valid_to IS NULL OR valid_to > valid_from)
);
--> statement-breakpoint
ALTER TABLE "meter_assignments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meters" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"serial" text NOT NULL,
	"node" text,
	"multiplier" numeric(14, 6) DEFAULT '1' NOT NULL,
	"consumption_channel" text DEFAULT 'DELIVERED' NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"column_mapping" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meters_client_id_id_pk" PRIMARY KEY("client_id","id")
);
--> statement-breakpoint
ALTER TABLE "meters" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "platform_audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_api_key_id" uuid,
	"actor_role" text,
	"action" text NOT NULL,
	"entity_type" text,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text
);
--> statement-breakpoint
ALTER TABLE "platform_audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refresh_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "refresh_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"customer_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_assignments_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "role_assignments_unique" UNIQUE NULLS NOT DISTINCT("client_id","user_id","role","customer_id"),
	CONSTRAINT "role_assignments_role_check" CHECK (role IN ('CLIENT_ADMIN', 'CUSTOMER_USER')),
	CONSTRAINT "role_assignments_customer_check" CHECK ((role = 'CUSTOMER_USER') = (customer_id IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "role_assignments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text,
	"display_name" text,
	"locale" text DEFAULT 'es' NOT NULL,
	"is_system_admin" boolean DEFAULT false NOT NULL,
	"mfa_secret" text,
	"mfa_enabled_at" timestamp with time zone,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"failed_login_count" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_email_lowercase_check" CHECK (email = lower(email))
);
--> statement-breakpoint
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "forecasts" (
	"client_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"kwh" numeric(18, 6) NOT NULL,
	"upload_id" uuid,
	CONSTRAINT "forecasts_client_id_customer_id_hour_start_pk" PRIMARY KEY("client_id","customer_id","hour_start")
);
--> statement-breakpoint
ALTER TABLE "forecasts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "readings_daily" (
	"client_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"day" date NOT NULL,
	"block" text NOT NULL,
	"kwh" numeric(18, 6) NOT NULL,
	"max_kw" numeric(18, 6),
	"slot_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "readings_daily_client_id_customer_id_day_block_pk" PRIMARY KEY("client_id","customer_id","day","block")
);
--> statement-breakpoint
ALTER TABLE "readings_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "readings_hourly" (
	"client_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"hour_start" timestamp with time zone NOT NULL,
	"block" text NOT NULL,
	"kwh" numeric(18, 6) NOT NULL,
	"max_kw" numeric(18, 6),
	"slot_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "readings_hourly_client_id_customer_id_hour_start_block_pk" PRIMARY KEY("client_id","customer_id","hour_start","block")
);
--> statement-breakpoint
ALTER TABLE "readings_hourly" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "uploads" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text,
	"size_bytes" bigint,
	"sha256" text NOT NULL,
	"blob_key" text,
	"status" text NOT NULL,
	"detected_mapping" jsonb,
	"preview" jsonb,
	"stats" jsonb,
	"errors" jsonb,
	"uploaded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	CONSTRAINT "uploads_client_id_id_pk" PRIMARY KEY("client_id","id")
);
--> statement-breakpoint
ALTER TABLE "uploads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "adjustments" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"period" text NOT NULL,
	"description" text NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"invoice_id" uuid,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "adjustments_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "adjustments_period_check" CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
ALTER TABLE "adjustments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing_periods" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"period" text NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	CONSTRAINT "billing_periods_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "billing_periods_client_period_key" UNIQUE("client_id","period"),
	CONSTRAINT "billing_periods_period_check" CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
ALTER TABLE "billing_periods" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing_runs" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"period" text NOT NULL,
	"status" text NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"counts" jsonb,
	"errors" jsonb,
	"started_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "billing_runs_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "billing_runs_period_check" CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
ALTER TABLE "billing_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "holidays" (
	"client_id" uuid NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "holidays_client_id_day_pk" PRIMARY KEY("client_id","day")
);
--> statement-breakpoint
ALTER TABLE "holidays" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"client_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"quantity" numeric(20, 6),
	"unit" text,
	"rate" numeric(14, 6),
	"rate_split" jsonb,
	"amount" numeric(14, 2) NOT NULL,
	CONSTRAINT "invoice_lines_client_id_invoice_id_line_no_pk" PRIMARY KEY("client_id","invoice_id","line_no")
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invoice_number_sequences" (
	"client_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "invoice_number_sequences_client_id_year_pk" PRIMARY KEY("client_id","year")
);
--> statement-breakpoint
ALTER TABLE "invoice_number_sequences" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invoices" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"period" text NOT NULL,
	"billing_run_id" uuid,
	"kind" text DEFAULT 'INVOICE' NOT NULL,
	"credit_note_of" uuid,
	"number" text,
	"fiscal_year" integer,
	"sequence" integer,
	"status" text DEFAULT 'DRAFT' NOT NULL,
	"currency" text NOT NULL,
	"subtotal" numeric(14, 2) NOT NULL,
	"vat" numeric(14, 2) NOT NULL,
	"total" numeric(14, 2) NOT NULL,
	"vat_rate" numeric(7, 6) NOT NULL,
	"issued_at" timestamp with time zone,
	"due_date" date,
	"paid_amount" numeric(14, 2) DEFAULT '0' NOT NULL,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	"pdf_blob_key" text,
	"pdf_status" text,
	"pdf_error" text,
	"dte_json" jsonb,
	"data_quality" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "invoices_period_check" CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "invoices_kind_check" CHECK (kind IN ('INVOICE', 'CREDIT_NOTE')),
	CONSTRAINT "invoices_credit_note_check" CHECK ((kind = 'CREDIT_NOTE') = (credit_note_of IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payments" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount" numeric(14, 2) NOT NULL,
	"paid_at" timestamp with time zone NOT NULL,
	"method" text,
	"reference" text,
	"recorded_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_client_id_id_pk" PRIMARY KEY("client_id","id")
);
--> statement-breakpoint
ALTER TABLE "payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "rate_set_block_rates" (
	"client_id" uuid NOT NULL,
	"rate_set_id" uuid NOT NULL,
	"block" text NOT NULL,
	"energy_rate" numeric(14, 6) NOT NULL,
	CONSTRAINT "rate_set_block_rates_client_id_rate_set_id_block_pk" PRIMARY KEY("client_id","rate_set_id","block")
);
--> statement-breakpoint
ALTER TABLE "rate_set_block_rates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "rate_sets" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"tariff_id" uuid NOT NULL,
	"valid_from" date NOT NULL,
	"demand_rate" numeric(14, 6),
	"ftpms_rate" numeric(14, 6),
	"deviation_rate" numeric(14, 6),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_sets_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "rate_sets_tariff_valid_from_key" UNIQUE("client_id","tariff_id","valid_from")
);
--> statement-breakpoint
ALTER TABLE "rate_sets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tariff_blocks" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"tariff_id" uuid NOT NULL,
	"block" text NOT NULL,
	"day_type" text DEFAULT 'ALL' NOT NULL,
	"start_minute" integer NOT NULL,
	"end_minute" integer NOT NULL,
	CONSTRAINT "tariff_blocks_client_id_id_pk" PRIMARY KEY("client_id","id"),
	CONSTRAINT "tariff_blocks_day_type_check" CHECK (day_type IN ('ALL', 'WEEKDAY', 'WEEKEND', 'HOLIDAY')),
	CONSTRAINT "tariff_blocks_minutes_check" CHECK (start_minute >= 0 AND start_minute < 1440 AND end_minute > 0 AND end_minute <= 1440)
);
--> statement-breakpoint
ALTER TABLE "tariff_blocks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tariffs" (
	"client_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tariffs_client_id_id_pk" PRIMARY KEY("client_id","id")
);
--> statement-breakpoint
ALTER TABLE "tariffs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_tariff_fk" FOREIGN KEY ("client_id","tariff_id") REFERENCES "public"."tariffs"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_assignments" ADD CONSTRAINT "meter_assignments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_assignments" ADD CONSTRAINT "meter_assignments_meter_fk" FOREIGN KEY ("client_id","meter_id") REFERENCES "public"."meters"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_assignments" ADD CONSTRAINT "meter_assignments_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meters" ADD CONSTRAINT "meters_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecasts" ADD CONSTRAINT "forecasts_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecasts" ADD CONSTRAINT "forecasts_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecasts" ADD CONSTRAINT "forecasts_upload_fk" FOREIGN KEY ("client_id","upload_id") REFERENCES "public"."uploads"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readings_daily" ADD CONSTRAINT "readings_daily_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readings_daily" ADD CONSTRAINT "readings_daily_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readings_hourly" ADD CONSTRAINT "readings_hourly_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "readings_hourly" ADD CONSTRAINT "readings_hourly_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_uploaded_by_user_id_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adjustments" ADD CONSTRAINT "adjustments_invoice_fk" FOREIGN KEY ("client_id","invoice_id") REFERENCES "public"."invoices"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_periods" ADD CONSTRAINT "billing_periods_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_runs" ADD CONSTRAINT "billing_runs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_runs" ADD CONSTRAINT "billing_runs_started_by_user_id_users_id_fk" FOREIGN KEY ("started_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_fk" FOREIGN KEY ("client_id","invoice_id") REFERENCES "public"."invoices"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_number_sequences" ADD CONSTRAINT "invoice_number_sequences_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_fk" FOREIGN KEY ("client_id","customer_id") REFERENCES "public"."customers"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_billing_run_fk" FOREIGN KEY ("client_id","billing_run_id") REFERENCES "public"."billing_runs"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_credit_note_of_fk" FOREIGN KEY ("client_id","credit_note_of") REFERENCES "public"."invoices"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_recorded_by_user_id_users_id_fk" FOREIGN KEY ("recorded_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_fk" FOREIGN KEY ("client_id","invoice_id") REFERENCES "public"."invoices"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_set_block_rates" ADD CONSTRAINT "rate_set_block_rates_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_set_block_rates" ADD CONSTRAINT "rate_set_block_rates_rate_set_fk" FOREIGN KEY ("client_id","rate_set_id") REFERENCES "public"."rate_sets"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_sets" ADD CONSTRAINT "rate_sets_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rate_sets" ADD CONSTRAINT "rate_sets_tariff_fk" FOREIGN KEY ("client_id","tariff_id") REFERENCES "public"."tariffs"("client_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_blocks" ADD CONSTRAINT "tariff_blocks_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariff_blocks" ADD CONSTRAINT "tariff_blocks_tariff_fk" FOREIGN KEY ("client_id","tariff_id") REFERENCES "public"."tariffs"("client_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_client_customer_idx" ON "api_keys" USING btree ("client_id","customer_id");--> statement-breakpoint
CREATE INDEX "audit_log_client_occurred_idx" ON "audit_log" USING btree ("client_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_log_client_entity_idx" ON "audit_log" USING btree ("client_id","entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "clients_organization_idx" ON "clients" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_client_code_key" ON "customers" USING btree ("client_id","code");--> statement-breakpoint
CREATE INDEX "customers_client_tariff_idx" ON "customers" USING btree ("client_id","tariff_id");--> statement-breakpoint
CREATE INDEX "meter_assignments_meter_idx" ON "meter_assignments" USING btree ("client_id","meter_id","valid_from");--> statement-breakpoint
CREATE INDEX "meter_assignments_customer_idx" ON "meter_assignments" USING btree ("client_id","customer_id","meter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meters_client_serial_key" ON "meters" USING btree ("client_id","serial");--> statement-breakpoint
CREATE INDEX "platform_audit_log_occurred_idx" ON "platform_audit_log" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user_idx" ON "refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_idx" ON "refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "role_assignments_user_idx" ON "role_assignments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "uploads_client_sha256_idx" ON "uploads" USING btree ("client_id","sha256");--> statement-breakpoint
CREATE INDEX "uploads_client_created_idx" ON "uploads" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "adjustments_client_customer_period_idx" ON "adjustments" USING btree ("client_id","customer_id","period");--> statement-breakpoint
CREATE INDEX "billing_runs_client_period_idx" ON "billing_runs" USING btree ("client_id","period");--> statement-breakpoint
CREATE INDEX "invoices_client_customer_period_idx" ON "invoices" USING btree ("client_id","customer_id","period");--> statement-breakpoint
CREATE INDEX "invoices_client_period_status_idx" ON "invoices" USING btree ("client_id","period","status");--> statement-breakpoint
CREATE INDEX "invoices_client_billing_run_idx" ON "invoices" USING btree ("client_id","billing_run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_client_number_key" ON "invoices" USING btree ("client_id","number") WHERE number IS NOT NULL;--> statement-breakpoint
CREATE INDEX "payments_client_invoice_idx" ON "payments" USING btree ("client_id","invoice_id");--> statement-breakpoint
CREATE INDEX "tariff_blocks_tariff_idx" ON "tariff_blocks" USING btree ("client_id","tariff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tariffs_client_code_key" ON "tariffs" USING btree ("client_id","code");--> statement-breakpoint
CREATE POLICY "api_keys_select" ON "api_keys" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "api_keys_insert" ON "api_keys" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "api_keys_update" ON "api_keys" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "api_keys_delete" ON "api_keys" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "audit_log_select" ON "audit_log" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (false)))));--> statement-breakpoint
CREATE POLICY "audit_log_insert" ON "audit_log" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "audit_log_delete" ON "audit_log" AS PERMISSIVE FOR DELETE TO public USING (current_setting('app.role', true) = 'SYSTEM');--> statement-breakpoint
CREATE POLICY "clients_select" ON "clients" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (true)))));--> statement-breakpoint
CREATE POLICY "clients_update" ON "clients" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "clients_insert" ON "clients" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) = 'SYSTEM_ADMIN'));--> statement-breakpoint
CREATE POLICY "clients_delete" ON "clients" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) = 'SYSTEM_ADMIN'));--> statement-breakpoint
CREATE POLICY "customers_select" ON "customers" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "customers_insert" ON "customers" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "customers_update" ON "customers" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "customers_delete" ON "customers" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "meter_assignments_select" ON "meter_assignments" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "meter_assignments_insert" ON "meter_assignments" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "meter_assignments_update" ON "meter_assignments" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "meter_assignments_delete" ON "meter_assignments" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "meters_select" ON "meters" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (EXISTS (SELECT 1 FROM meter_assignments ma WHERE ma.client_id = meters.client_id AND ma.meter_id = meters.id AND ma.customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid))))));--> statement-breakpoint
CREATE POLICY "meters_insert" ON "meters" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "meters_update" ON "meters" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "meters_delete" ON "meters" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "organizations_select" ON "organizations" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN')) OR id = (SELECT c.organization_id FROM clients c WHERE c.id = NULLIF(current_setting('app.client_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "organizations_write" ON "organizations" AS PERMISSIVE FOR ALL TO public USING (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN')) WITH CHECK (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN'));--> statement-breakpoint
CREATE POLICY "platform_audit_log_select" ON "platform_audit_log" AS PERMISSIVE FOR SELECT TO public USING (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN'));--> statement-breakpoint
CREATE POLICY "platform_audit_log_insert" ON "platform_audit_log" AS PERMISSIVE FOR INSERT TO public WITH CHECK (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN'));--> statement-breakpoint
CREATE POLICY "platform_audit_log_delete" ON "platform_audit_log" AS PERMISSIVE FOR DELETE TO public USING (current_setting('app.role', true) = 'SYSTEM');--> statement-breakpoint
CREATE POLICY "refresh_tokens_system" ON "refresh_tokens" AS PERMISSIVE FOR ALL TO public USING (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN')) WITH CHECK (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN'));--> statement-breakpoint
CREATE POLICY "role_assignments_select" ON "role_assignments" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "role_assignments_insert" ON "role_assignments" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "role_assignments_update" ON "role_assignments" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "role_assignments_delete" ON "role_assignments" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "users_select" ON "users" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN')) OR id = NULLIF(current_setting('app.user_id', true), '')::uuid OR (current_setting('app.role', true) = 'CLIENT_ADMIN' AND EXISTS (SELECT 1 FROM role_assignments ra WHERE ra.user_id = users.id AND ra.client_id = NULLIF(current_setting('app.client_id', true), '')::uuid)));--> statement-breakpoint
CREATE POLICY "users_write" ON "users" AS PERMISSIVE FOR ALL TO public USING (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN')) WITH CHECK (current_setting('app.role', true) IN ('SYSTEM', 'SYSTEM_ADMIN'));--> statement-breakpoint
CREATE POLICY "forecasts_select" ON "forecasts" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "forecasts_insert" ON "forecasts" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "forecasts_update" ON "forecasts" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "forecasts_delete" ON "forecasts" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "readings_daily_select" ON "readings_daily" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "readings_daily_insert" ON "readings_daily" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "readings_daily_update" ON "readings_daily" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "readings_daily_delete" ON "readings_daily" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "readings_hourly_select" ON "readings_hourly" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "readings_hourly_insert" ON "readings_hourly" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "readings_hourly_update" ON "readings_hourly" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "readings_hourly_delete" ON "readings_hourly" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "uploads_select" ON "uploads" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (false)))));--> statement-breakpoint
CREATE POLICY "uploads_insert" ON "uploads" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "uploads_update" ON "uploads" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "uploads_delete" ON "uploads" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "adjustments_select" ON "adjustments" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "adjustments_insert" ON "adjustments" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "adjustments_update" ON "adjustments" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "adjustments_delete" ON "adjustments" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_periods_select" ON "billing_periods" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (true)))));--> statement-breakpoint
CREATE POLICY "billing_periods_insert" ON "billing_periods" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_periods_update" ON "billing_periods" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_periods_delete" ON "billing_periods" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_runs_select" ON "billing_runs" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (false)))));--> statement-breakpoint
CREATE POLICY "billing_runs_insert" ON "billing_runs" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_runs_update" ON "billing_runs" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "billing_runs_delete" ON "billing_runs" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "holidays_select" ON "holidays" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (true)))));--> statement-breakpoint
CREATE POLICY "holidays_insert" ON "holidays" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "holidays_update" ON "holidays" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "holidays_delete" ON "holidays" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoice_lines_select" ON "invoice_lines" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = invoice_lines.client_id AND i.id = invoice_lines.invoice_id AND i.customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid))))));--> statement-breakpoint
CREATE POLICY "invoice_lines_insert" ON "invoice_lines" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoice_lines_update" ON "invoice_lines" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoice_lines_delete" ON "invoice_lines" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoice_number_sequences_select" ON "invoice_number_sequences" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (false)))));--> statement-breakpoint
CREATE POLICY "invoice_number_sequences_insert" ON "invoice_number_sequences" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoice_number_sequences_update" ON "invoice_number_sequences" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoice_number_sequences_delete" ON "invoice_number_sequences" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoices_select" ON "invoices" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid)))));--> statement-breakpoint
CREATE POLICY "invoices_insert" ON "invoices" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoices_update" ON "invoices" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "invoices_delete" ON "invoices" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "payments_select" ON "payments" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (EXISTS (SELECT 1 FROM invoices i WHERE i.client_id = payments.client_id AND i.id = payments.invoice_id AND i.customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid))))));--> statement-breakpoint
CREATE POLICY "payments_insert" ON "payments" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "payments_update" ON "payments" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "payments_delete" ON "payments" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "rate_set_block_rates_select" ON "rate_set_block_rates" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (true)))));--> statement-breakpoint
CREATE POLICY "rate_set_block_rates_insert" ON "rate_set_block_rates" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "rate_set_block_rates_update" ON "rate_set_block_rates" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "rate_set_block_rates_delete" ON "rate_set_block_rates" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "rate_sets_select" ON "rate_sets" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (true)))));--> statement-breakpoint
CREATE POLICY "rate_sets_insert" ON "rate_sets" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "rate_sets_update" ON "rate_sets" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "rate_sets_delete" ON "rate_sets" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "tariff_blocks_select" ON "tariff_blocks" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (true)))));--> statement-breakpoint
CREATE POLICY "tariff_blocks_insert" ON "tariff_blocks" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "tariff_blocks_update" ON "tariff_blocks" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "tariff_blocks_delete" ON "tariff_blocks" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "tariffs_select" ON "tariffs" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (true)))));--> statement-breakpoint
CREATE POLICY "tariffs_insert" ON "tariffs" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "tariffs_update" ON "tariffs" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
CREATE POLICY "tariffs_delete" ON "tariffs" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));