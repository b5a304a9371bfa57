-- A meter counts for one customer at a time: no two assignments of the same meter
-- may overlap in [valid_from, valid_to). drizzle-kit cannot express EXCLUDE.
-- btree_gist is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "meter_assignments" ADD CONSTRAINT "meter_assignments_no_overlap"
	EXCLUDE USING gist ("client_id" WITH =, "meter_id" WITH =, tstzrange("valid_from", "valid_to") WITH &&);
