-- The policies of meter_readings read the request context through scalar subqueries, which
-- PostgreSQL evaluates once per statement (an InitPlan) instead of once per row: an upload
-- writes hundreds of thousands of rows and the check cost as much as the insert itself.
-- Same predicates as before (migration 0001). Partitions get fresh copies of the parent's.
ALTER POLICY "meter_readings_select" ON "meter_readings" USING (((SELECT current_setting('app.role', true)) = 'SYSTEM' OR ((SELECT current_setting('app.role', true)) = 'SYSTEM_ADMIN' AND (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) IS NULL)) OR (client_id = (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) AND ((SELECT current_setting('app.role', true)) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN') OR ((SELECT current_setting('app.role', true)) = 'CUSTOMER_USER' AND meter_reading_visible_to_customer(client_id, meter_id, slot_start)))));--> statement-breakpoint
ALTER POLICY "meter_readings_insert" ON "meter_readings" WITH CHECK (((SELECT current_setting('app.role', true)) = 'SYSTEM' OR ((SELECT current_setting('app.role', true)) = 'SYSTEM_ADMIN' AND (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) IS NULL)) OR (client_id = (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) AND (SELECT current_setting('app.role', true)) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
ALTER POLICY "meter_readings_update" ON "meter_readings" USING (((SELECT current_setting('app.role', true)) = 'SYSTEM' OR ((SELECT current_setting('app.role', true)) = 'SYSTEM_ADMIN' AND (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) IS NULL)) OR (client_id = (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) AND (SELECT current_setting('app.role', true)) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN'))) WITH CHECK (((SELECT current_setting('app.role', true)) = 'SYSTEM' OR ((SELECT current_setting('app.role', true)) = 'SYSTEM_ADMIN' AND (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) IS NULL)) OR (client_id = (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) AND (SELECT current_setting('app.role', true)) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
ALTER POLICY "meter_readings_delete" ON "meter_readings" USING (((SELECT current_setting('app.role', true)) = 'SYSTEM' OR ((SELECT current_setting('app.role', true)) = 'SYSTEM_ADMIN' AND (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) IS NULL)) OR (client_id = (SELECT NULLIF(current_setting('app.client_id', true), '')::uuid) AND (SELECT current_setting('app.role', true)) IN ('SYSTEM_ADMIN', 'CLIENT_ADMIN')));--> statement-breakpoint
DO $$
DECLARE
	part regclass;
	pol record;
BEGIN
	FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'public.meter_readings'::regclass LOOP
		FOR pol IN SELECT polname FROM pg_policy WHERE polrelid = part LOOP
			EXECUTE format('DROP POLICY %I ON %s', pol.polname, part);
		END LOOP;
		PERFORM "meter_readings_protect_partition"(part);
	END LOOP;
END
$$;
