ALTER TABLE "readings_daily" DROP CONSTRAINT "readings_daily_client_id_clients_id_fk";
--> statement-breakpoint
ALTER TABLE "readings_daily" DROP CONSTRAINT "readings_daily_customer_fk";
--> statement-breakpoint
ALTER TABLE "readings_hourly" DROP CONSTRAINT "readings_hourly_client_id_clients_id_fk";
--> statement-breakpoint
ALTER TABLE "readings_hourly" DROP CONSTRAINT "readings_hourly_customer_fk";
--> statement-breakpoint
-- readings_hourly and readings_daily are rewritten for every customer an upload touches (67,704
-- hourly rows for a month of 100 meters); their foreign keys cost two index probes per row.
-- (client_id, customer_id) → customers is now checked once per statement with one join over
-- the written rows, and on the customers side by a row trigger; client_id → clients followed
-- from it (a customer belongs to its client), so it is not checked twice. The checks run with
-- the writer's row-level security: a rollup can only name a customer its writer can see.
CREATE FUNCTION "rollups_check_customer"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
	missing record;
BEGIN
	SELECT n.client_id, n.customer_id INTO missing
	FROM (SELECT DISTINCT client_id, customer_id FROM written) n
	WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.client_id = n.client_id AND c.id = n.customer_id)
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%_customer_fk"', TG_TABLE_NAME, TG_TABLE_NAME
			USING ERRCODE = '23503', DETAIL = format('Key (client_id, customer_id)=(%s, %s) is not present in table "customers".', missing.client_id, missing.customer_id);
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "readings_hourly_customer_on_insert"
	AFTER INSERT ON "readings_hourly" REFERENCING NEW TABLE AS written
	FOR EACH STATEMENT EXECUTE FUNCTION "rollups_check_customer"();
--> statement-breakpoint
CREATE TRIGGER "readings_hourly_customer_on_update"
	AFTER UPDATE ON "readings_hourly" REFERENCING NEW TABLE AS written
	FOR EACH STATEMENT EXECUTE FUNCTION "rollups_check_customer"();
--> statement-breakpoint
CREATE TRIGGER "readings_daily_customer_on_insert"
	AFTER INSERT ON "readings_daily" REFERENCING NEW TABLE AS written
	FOR EACH STATEMENT EXECUTE FUNCTION "rollups_check_customer"();
--> statement-breakpoint
CREATE TRIGGER "readings_daily_customer_on_update"
	AFTER UPDATE ON "readings_daily" REFERENCING NEW TABLE AS written
	FOR EACH STATEMENT EXECUTE FUNCTION "rollups_check_customer"();
--> statement-breakpoint
CREATE FUNCTION "customers_keep_rollups"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.client_id = OLD.client_id AND NEW.id = OLD.id THEN
		RETURN NEW;
	END IF;
	IF EXISTS (SELECT 1 FROM readings_hourly r WHERE r.client_id = OLD.client_id AND r.customer_id = OLD.id)
		OR EXISTS (SELECT 1 FROM readings_daily r WHERE r.client_id = OLD.client_id AND r.customer_id = OLD.id) THEN
		RAISE EXCEPTION 'update or delete on table "customers" violates foreign key constraint "readings_hourly_customer_fk" on table "readings_hourly"'
			USING ERRCODE = '23503', DETAIL = format('Key (client_id, id)=(%s, %s) is still referenced from the consumption rollups.', OLD.client_id, OLD.id);
	END IF;
	RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "customers_keep_rollups"
	BEFORE DELETE OR UPDATE OF "client_id", "id" ON "customers"
	FOR EACH ROW EXECUTE FUNCTION "customers_keep_rollups"();
