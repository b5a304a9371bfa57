import type { ForecastResult } from '../parsing';
import { countBySeverity, storedProblem, uploadProblem } from './problems';
import type { StoredForecastCustomer, StoredPreview } from './upload.model';

export interface ForecastMatchContext {
  /** Customers of the client named in the file, by code. */
  customers: readonly { id: string; code: string; name: string }[];
}

/** Preview of a forecast workbook: per customer code the matched customer and hours; unknown codes block. */
export function buildForecastPreview(result: ForecastResult, ctx: ForecastMatchContext): StoredPreview {
  const byCode = new Map(ctx.customers.map((c) => [c.code.trim().toUpperCase(), c]));
  const problems = result.problems.map(storedProblem);
  const forecastCustomers: StoredForecastCustomer[] = result.customers.map((f) => {
    const customer = byCode.get(f.customerCode.trim().toUpperCase()) ?? null;
    if (!customer) {
      problems.push(
        uploadProblem({
          code: 'UNKNOWN_CUSTOMER',
          sheet: result.sheets[0] ?? null,
          row: f.hours[0]?.row ?? null,
          column: null,
          value: f.customerCode,
          expected: 'the code of a customer of this client, e.g. "C-0001"',
          message: `Customer code ${f.customerCode} is not a customer of this client`,
        }),
      );
    }
    return {
      customerCode: f.customerCode,
      customerId: customer?.id ?? null,
      customerName: customer?.name ?? null,
      hours: f.hours.length,
      firstHour: f.hours[0]?.hourStart.toISOString() ?? null,
      lastHour: f.hours.at(-1)?.hourStart.toISOString() ?? null,
    };
  });
  const { errors, warnings } = countBySeverity(problems);
  const hours = forecastCustomers.reduce((n, c) => n + c.hours, 0);
  const blockers: string[] = [];
  if (errors > 0)
    blockers.push(`The file has ${errors} error(s): ${problems.find((p) => p.severity === 'ERROR')?.message ?? ''}`);
  if (hours === 0 && errors === 0) blockers.push('The file holds no forecast hours');
  return {
    format: result.format,
    sources: [],
    forecastCustomers,
    forecastMapping: result.mapping
      ? {
          customer: result.mapping.customer,
          timestamp: result.mapping.timestamp,
          kwh: result.mapping.kwh,
          convention: result.mapping.convention,
          reasons: result.mapping.reasons,
        }
      : null,
    problems,
    readings: hours,
    errorCount: errors,
    warningCount: warnings,
    committable: blockers.length === 0,
    blockers,
  };
}
