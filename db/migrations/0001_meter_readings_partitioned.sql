-- meter_readings: 15-minute readings, range-partitioned by month on slot_start (UTC
-- month boundaries). drizzle-kit cannot generate partitioned tables; the typed
-- definition is src/schema/meter-readings.ts (not in drizzle.config.ts).
CREATE TABLE "meter_readings" (
	"client_id" uuid NOT NULL,
	"meter_id" uuid NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"kwh" numeric(18, 6) NOT NULL,
	"kvarh" numeric(18, 6),
	"kwh_received" numeric(18, 6),
	"kvarh_received" numeric(18, 6),
	"upload_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meter_readings_client_id_meter_id_slot_start_pk" PRIMARY KEY ("client_id", "meter_id", "slot_start"),
	CONSTRAINT "meter_readings_meter_fk" FOREIGN KEY ("client_id", "meter_id") REFERENCES "public"."meters" ("client_id", "id"),
	CONSTRAINT "meter_readings_upload_fk" FOREIGN KEY ("client_id", "upload_id") REFERENCES "public"."uploads" ("client_id", "id")
) PARTITION BY RANGE ("slot_start");
--> statement-breakpoint
-- Catches readings for months nobody created yet; ensure_meter_reading_partitions() moves them out.
CREATE TABLE "meter_readings_default" PARTITION OF "meter_readings" DEFAULT;
--> statement-breakpoint
-- What a CUSTOMER_USER may read: readings of a meter while it was assigned to its customer.
-- A function (not an inline sub-select) so the policy text has no table-qualified
-- columns and can be copied verbatim onto each partition. SECURITY INVOKER: the
-- meter_assignments policies apply too.
CREATE FUNCTION "meter_reading_visible_to_customer"(p_client_id uuid, p_meter_id uuid, p_slot_start timestamp with time zone)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, public
AS $$
	SELECT EXISTS (
		SELECT 1 FROM public.meter_assignments ma
		WHERE ma.client_id = p_client_id
		  AND ma.meter_id = p_meter_id
		  AND ma.customer_id = NULLIF(current_setting('app.customer_id', true), '')::uuid
		  AND ma.valid_from <= p_slot_start
		  AND (ma.valid_to IS NULL OR p_slot_start < ma.valid_to)
	)
$$;
--> statement-breakpoint
ALTER TABLE "meter_readings" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "meter_readings" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Same shape as tenantPolicies() in src/schema/rls.ts.
CREATE POLICY "meter_readings_select" ON "meter_readings" AS PERMISSIVE FOR SELECT TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND (current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR (current_setting('app.role', true) = 'CUSTOMER_USER' AND (meter_reading_visible_to_customer(client_id, meter_id, slot_start))))));
--> statement-breakpoint
CREATE POLICY "meter_readings_insert" ON "meter_readings" AS PERMISSIVE FOR INSERT TO public WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));
--> statement-breakpoint
CREATE POLICY "meter_readings_update" ON "meter_readings" AS PERMISSIVE FOR UPDATE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));
--> statement-breakpoint
CREATE POLICY "meter_readings_delete" ON "meter_readings" AS PERMISSIVE FOR DELETE TO public USING ((current_setting('app.role', true) = 'SYSTEM' OR (current_setting('app.role', true) = 'SYSTEM_ADMIN' AND NULLIF(current_setting('app.client_id', true), '')::uuid IS NULL)) OR (client_id = NULLIF(current_setting('app.client_id', true), '')::uuid AND current_setting('app.role', true) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));
--> statement-breakpoint
-- Queries through meter_readings only check the parent's policies, but a partition
-- can also be named directly: give each one forced RLS and copies of the parent's
-- policies. Invoker rights: only the owner can ALTER the table, so calling it as
-- anyone else fails.
CREATE FUNCTION "meter_readings_protect_partition"(p_partition regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
	pol record;
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', p_partition);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', p_partition);
	FOR pol IN
		SELECT p.policyname, p.permissive, p.cmd, p.roles, p.qual, p.with_check
		FROM pg_policies p
		WHERE p.schemaname = 'public' AND p.tablename = 'meter_readings'
	LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = p_partition AND polname = pol.policyname) THEN
			EXECUTE format(
				'CREATE POLICY %I ON %s AS %s FOR %s TO %s%s%s',
				pol.policyname, p_partition, pol.permissive, pol.cmd,
				(SELECT string_agg(CASE WHEN r = 'public' THEN 'PUBLIC' ELSE quote_ident(r) END, ', ') FROM unnest(pol.roles) AS r),
				CASE WHEN pol.qual IS NULL THEN '' ELSE ' USING (' || pol.qual || ')' END,
				CASE WHEN pol.with_check IS NULL THEN '' ELSE ' WITH CHECK (' || pol.with_check || ')' END
			);
		END IF;
	END LOOP;
END
$$;
--> statement-breakpoint
SELECT "meter_readings_protect_partition"('public.meter_readings_default'::regclass);
--> statement-breakpoint
-- Creates the monthly partitions (UTC months) covering every instant in [from_ts, to_ts];
-- returns how many it created. Readings already sitting in the default partition for
-- a new month are moved into it. Owned by the owner (SECURITY DEFINER, so the app
-- role can create partitions without owning anything). app.role is SYSTEM while it
-- runs, so moving rows sees every tenant's (the owner is bound by FORCE RLS), and
-- is put back before it returns (a function SET clause cannot set app.* in PG 15).
CREATE FUNCTION "ensure_meter_reading_partitions"(from_ts timestamp with time zone, to_ts timestamp with time zone)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
SET "TimeZone" = 'UTC'
AS $$
DECLARE
	caller_role text := current_setting('app.role', true);
	month_start timestamp;
	last_month timestamp;
	lo timestamp with time zone;
	hi timestamp with time zone;
	part text;
	created integer := 0;
BEGIN
	IF from_ts IS NULL OR to_ts IS NULL OR to_ts < from_ts THEN
		RAISE EXCEPTION 'ensure_meter_reading_partitions: invalid range [%, %]', from_ts, to_ts
			USING ERRCODE = '22023';
	END IF;
	month_start := date_trunc('month', from_ts AT TIME ZONE 'UTC');
	last_month := date_trunc('month', to_ts AT TIME ZONE 'UTC');
	IF last_month > month_start + interval '120 months' THEN
		RAISE EXCEPTION 'ensure_meter_reading_partitions: more than 120 months requested'
			USING ERRCODE = '22023';
	END IF;
	-- Two callers creating the same month would otherwise race.
	PERFORM pg_advisory_xact_lock(hashtext('ensure_meter_reading_partitions'));
	PERFORM set_config('app.role', 'SYSTEM', true);
	WHILE month_start <= last_month LOOP
		part := 'meter_readings_' || to_char(month_start, 'YYYY_MM');
		IF to_regclass(format('public.%I', part)) IS NULL THEN
			lo := month_start AT TIME ZONE 'UTC';
			hi := (month_start + interval '1 month') AT TIME ZONE 'UTC';
			EXECUTE format('CREATE TABLE public.%I (LIKE public.meter_readings INCLUDING DEFAULTS)', part);
			EXECUTE format(
				'WITH moved AS (DELETE FROM public.meter_readings_default WHERE slot_start >= $1 AND slot_start < $2 RETURNING *) '
				'INSERT INTO public.%I SELECT * FROM moved', part
			) USING lo, hi;
			EXECUTE format('ALTER TABLE public.meter_readings ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
			PERFORM meter_readings_protect_partition(format('public.%I', part)::regclass);
			created := created + 1;
		END IF;
		month_start := month_start + interval '1 month';
	END LOOP;
	PERFORM set_config('app.role', coalesce(caller_role, ''), true);
	RETURN created;
END
$$;
--> statement-breakpoint
-- The app role gets EXECUTE through the owner's default privileges (see bootstrap).
REVOKE ALL ON FUNCTION "ensure_meter_reading_partitions"(timestamp with time zone, timestamp with time zone) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION "meter_readings_protect_partition"(regclass) FROM PUBLIC;
