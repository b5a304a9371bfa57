import { BadUserInputError } from '@ciro/subgraph-common';
import { z } from 'zod';
import { fields } from '../validation/fields';
import type { NewCustomerRow } from './customer.repository';

/** Commercial terms shared by create, update and bulk import; every message names what was expected. */
export const customerTermsSchema = z.object({
  name: fields.name.optional(),
  nit: fields.nit.optional(),
  nrc: fields.nrc.optional(),
  contractNumber: fields.optionalText,
  address: fields.optionalText,
  department: fields.optionalText,
  municipality: fields.optionalText,
  contractedKw: fields.nonNegativeDecimal.optional(),
  voltageLevel: fields.optionalText,
  tariffCode: z.string().trim().min(1, 'Must not be empty').optional(),
  lossFactor: fields.shareBelowOne.optional(),
  discount: fields.shareBelowOne.optional(),
  deviationTolerance: fields.fraction.optional(),
  paymentTermsDays: z.number().int().min(0, 'Must be 0 or more days').max(365, 'At most 365 days').optional(),
  billingEmail: fields.email.optional(),
  locale: fields.locale.optional(),
});

export type CustomerTerms = z.infer<typeof customerTermsSchema>;

/** Columns for the given terms; the tariff code is resolved to the client's tariff or rejected. */
export async function termsToRow(
  terms: CustomerTerms,
  resolveTariffId: (code: string) => Promise<string | null>,
): Promise<Partial<NewCustomerRow>> {
  const row: Partial<NewCustomerRow> = {};
  if (terms.name !== undefined) row.name = terms.name;
  if (terms.nit !== undefined) row.nit = terms.nit;
  if (terms.nrc !== undefined) row.nrc = terms.nrc;
  if (terms.contractNumber !== undefined) row.contractNumber = terms.contractNumber;
  if (terms.address !== undefined) row.address = terms.address;
  if (terms.department !== undefined) row.department = terms.department;
  if (terms.municipality !== undefined) row.municipality = terms.municipality;
  if (terms.contractedKw !== undefined) row.contractedKw = terms.contractedKw.toFixed();
  if (terms.voltageLevel !== undefined) row.voltageLevel = terms.voltageLevel;
  if (terms.lossFactor !== undefined) row.lossFactor = terms.lossFactor.toFixed();
  if (terms.discount !== undefined) row.discount = terms.discount.toFixed();
  if (terms.deviationTolerance !== undefined) row.deviationTolerance = terms.deviationTolerance.toFixed();
  if (terms.paymentTermsDays !== undefined) row.paymentTermsDays = terms.paymentTermsDays;
  if (terms.billingEmail !== undefined) row.billingEmail = terms.billingEmail;
  if (terms.locale !== undefined) row.locale = terms.locale;
  if (terms.tariffCode !== undefined) {
    const tariffId = await resolveTariffId(terms.tariffCode);
    if (!tariffId) {
      throw new BadUserInputError(
        'tariffCode',
        `Unknown tariff "${terms.tariffCode}": create it first or use an existing tariff code`,
      );
    }
    row.tariffId = tariffId;
  }
  return row;
}
