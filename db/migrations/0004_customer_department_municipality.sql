ALTER TABLE "customers" ADD COLUMN "department" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "municipality" text;