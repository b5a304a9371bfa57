import Decimal from 'decimal.js';
import { z } from 'zod';
import { normalizeNit, normalizeNrc } from '../customers/fiscal-ids';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Reusable zod fields whose messages say what was expected. */
export const fields = {
  code: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9-]{0,31}$/, 'Use 1–32 capital letters, digits or dashes, e.g. "C-0001"'),
  name: z.string().trim().min(1, 'Must not be empty').max(200, 'At most 200 characters'),
  optionalText: z.string().trim().max(500, 'At most 500 characters').optional(),
  nit: z.string().transform((raw, ctx) => {
    const result = normalizeNit(raw);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.value;
  }),
  nrc: z.string().transform((raw, ctx) => {
    const result = normalizeNrc(raw);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    }
    return result.value;
  }),
  timeZone: z.string().refine(isTimeZone, 'Must be an IANA time zone such as "America/El_Salvador"'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 code such as "USD"'),
  locale: z.enum(['es', 'en'], { message: 'Must be "es" or "en"' }),
  email: z.string().trim().toLowerCase().email('Must be an email address such as "ana@example.com"'),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Must be a colour written #RRGGBB'),
  /** A fraction 0 ≤ x ≤ 1 given as Decimal (rates, factors). */
  fraction: z.instanceof(Decimal).refine((d) => d.gte(0) && d.lte(1), 'Must be a fraction between "0" and "1"'),
  /** A share taken off or added to energy (loss factor, discount): 0 ≤ x < 1, as the billing engine requires. */
  shareBelowOne: z
    .instanceof(Decimal)
    .refine((d) => d.gte(0) && d.lt(1), 'Must be a fraction from "0" up to, not including, "1" (2.35% is "0.0235")'),
  positiveDecimal: z.instanceof(Decimal).refine((d) => d.gt(0), 'Must be greater than 0'),
  nonNegativeDecimal: z.instanceof(Decimal).refine((d) => d.gte(0), 'Must not be negative'),
};
