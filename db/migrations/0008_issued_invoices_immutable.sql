-- BILLING.md §6: an issued invoice is never edited. Enforced here, not only in code: these
-- triggers are owned by the owner role, and the app role (which owns nothing) can neither
-- drop nor disable them. Once an invoice leaves DRAFT only its life-cycle columns move
-- (status, paid_amount, pdf_*, voided_at, void_reason, updated_at); it never returns to
-- DRAFT, VOID is final, it cannot be deleted, and its lines are frozen.
CREATE FUNCTION "invoices_guard_issued"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
	mutable constant text[] := ARRAY['status', 'paid_amount', 'pdf_blob_key', 'pdf_status', 'pdf_error',
		'voided_at', 'void_reason', 'updated_at'];
BEGIN
	IF TG_OP = 'DELETE' THEN
		IF OLD.status <> 'DRAFT' THEN
			RAISE EXCEPTION 'invoice % is % and cannot be deleted: issued invoices are immutable', OLD.id, OLD.status
				USING ERRCODE = '55000';
		END IF;
		RETURN OLD;
	END IF;
	IF OLD.status = 'DRAFT' THEN
		RETURN NEW;
	END IF;
	IF NEW.status = 'DRAFT' THEN
		RAISE EXCEPTION 'invoice % is % and cannot return to DRAFT', OLD.id, OLD.status USING ERRCODE = '55000';
	END IF;
	IF OLD.status = 'VOID' AND (NEW.status <> 'VOID' OR NEW.paid_amount IS DISTINCT FROM OLD.paid_amount
		OR NEW.voided_at IS DISTINCT FROM OLD.voided_at OR NEW.void_reason IS DISTINCT FROM OLD.void_reason) THEN
		RAISE EXCEPTION 'invoice % is VOID: nothing about it changes any more', OLD.id USING ERRCODE = '55000';
	END IF;
	-- Every other column, including ones added later, is frozen.
	IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
		RAISE EXCEPTION 'invoice % is % and immutable: only status, paid_amount, pdf_*, voided_at and void_reason may change', OLD.id, OLD.status
			USING ERRCODE = '55000';
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "invoices_guard_issued"
	BEFORE UPDATE OR DELETE ON "invoices"
	FOR EACH ROW EXECUTE FUNCTION "invoices_guard_issued"();
--> statement-breakpoint
-- Lines may be written only while their invoice is a DRAFT. Deleting a draft invoice cascades to
-- its lines after the invoice row is gone: a missing parent on DELETE is that cascade.
CREATE FUNCTION "invoice_lines_guard_issued"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, public
AS $$
DECLARE
	parent_status text;
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		SELECT i.status INTO parent_status FROM invoices i WHERE i.client_id = OLD.client_id AND i.id = OLD.invoice_id;
		IF FOUND AND parent_status <> 'DRAFT' THEN
			RAISE EXCEPTION 'invoice % is %: its lines are immutable', OLD.invoice_id, parent_status USING ERRCODE = '55000';
		END IF;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		SELECT i.status INTO parent_status FROM invoices i WHERE i.client_id = NEW.client_id AND i.id = NEW.invoice_id;
		IF parent_status IS DISTINCT FROM 'DRAFT' THEN
			RAISE EXCEPTION 'invoice % is %: lines are written only on a DRAFT', NEW.invoice_id, coalesce(parent_status, 'not visible')
				USING ERRCODE = '55000';
		END IF;
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "invoice_lines_guard_issued"
	BEFORE INSERT OR UPDATE OR DELETE ON "invoice_lines"
	FOR EACH ROW EXECUTE FUNCTION "invoice_lines_guard_issued"();
