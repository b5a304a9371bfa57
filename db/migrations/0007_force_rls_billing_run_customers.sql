-- drizzle-kit cannot FORCE row-level security (see 0002).
ALTER TABLE "billing_run_customers" FORCE ROW LEVEL SECURITY;
