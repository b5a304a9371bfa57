import { parseForecastWorkbook, parseMeterFile, type Problem, type Reading } from '@ciro/metering';
import { parseCustomerWorkbook, type ParsedCustomer } from '@ciro/tenancy';
import type Decimal from 'decimal.js';
import { computeInvoice, tariffFromJson, type InvoiceDraft, type InvoiceLineDraft } from '../engine';

/** The files of one preview, as bytes: the same inputs the platform ingests. */
export interface PreviewFiles {
  customersWorkbook: Uint8Array;
  meterFiles: readonly { fileName: string; bytes: Uint8Array }[];
  forecastWorkbook?: { fileName: string; bytes: Uint8Array };
  tariffJson: unknown;
}

export interface PreviewOptions {
  period: string;
  zone: string;
  vatRate: string;
  /** Only this customer code. */
  customer?: string;
}

/** An invoice in the shape of `samples/expected/invoices-*.json`. */
export interface PreviewInvoice {
  customer: string;
  period: string;
  lines: PreviewLine[];
  subtotal: string;
  vat: string;
  total: string;
  maxDemandAt: string | null;
  missingSlots: number;
  expectedSlots: number;
}

export interface PreviewLine {
  kind: string;
  quantity: string;
  rate?: string;
  amount: string;
  missingForecastHours?: number;
}

export interface PreviewResult {
  invoices: PreviewInvoice[];
  /** Customers with no reading at all in the period: no invoice (BILLING.md §2). */
  withoutReadings: string[];
  /** Problems in the input files (errors stop the preview; warnings are reported). */
  problems: string[];
}

/** Meter registers resolve 4 decimals: energy quantities are shown at least at that scale. */
const ENERGY_SCALE = 4;

/**
 * Quantity as printed: energy at the meter's scale (4 decimals, more when a
 * multiplier brings them); losses at that scale plus the loss factor's
 * decimals; fractions (discount) as they are.
 */
function formatQuantity(line: InvoiceLineDraft, lossFactor: Decimal): string {
  const q = line.quantity;
  if (line.kind === 'DISCOUNT' || line.kind === 'ADJUSTMENT') return q.toFixed();
  const scale = line.kind === 'LOSSES' ? ENERGY_SCALE + lossFactor.decimalPlaces() : ENERGY_SCALE;
  return q.toFixed(Math.max(scale, q.decimalPlaces()));
}

function toPreviewInvoice(draft: InvoiceDraft, customer: ParsedCustomer): PreviewInvoice {
  return {
    customer: draft.customerCode,
    period: draft.period,
    lines: draft.lines.map((line) => ({
      kind: line.kind,
      quantity: formatQuantity(line, customer.lossFactor),
      ...(line.kind === 'DEMAND' && line.rate ? { rate: line.rate.toFixed(6) } : {}),
      amount: line.amount.toFixed(2),
      ...(line.kind === 'DEVIATION' ? { missingForecastHours: draft.dataQuality.missingForecastHours } : {}),
    })),
    subtotal: draft.subtotal.toFixed(2),
    vat: draft.vat.toFixed(2),
    total: draft.total.toFixed(2),
    maxDemandAt: draft.dataQuality.maxDemandAt,
    missingSlots: draft.dataQuality.missingSlots,
    expectedSlots: draft.dataQuality.expectedSlots,
  };
}

function describeProblem(p: Problem): string {
  const where = [
    p.fileName,
    p.sheet && `sheet "${p.sheet}"`,
    p.row && `row ${p.row}`,
    p.column && `column ${p.column.header} (${p.column.letter})`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${p.severity} ${p.code}${where ? ` at ${where}` : ''}: ${p.message}`;
}

/** At most a few lines per kind of problem and place, so one bad column does not bury the rest. */
function summarize(list: readonly Problem[], perKind = 3): string[] {
  const groups = new Map<string, Problem[]>();
  for (const problem of list) {
    const key = `${problem.severity}|${problem.code}|${problem.fileName ?? ''}|${problem.sheet ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), problem]);
  }
  const lines: string[] = [];
  for (const group of groups.values()) {
    lines.push(...group.slice(0, perKind).map(describeProblem));
    if (group.length > perKind)
      lines.push(`  … and ${group.length - perKind} more ${group[0]?.code} in the same place`);
  }
  return lines;
}

/**
 * Invoices computed from files with the platform's own parsers and engine, no
 * database: the tool that proves the numbers against a reference.
 */
export function previewInvoices(files: PreviewFiles, options: PreviewOptions): PreviewResult {
  const problems: string[] = [];
  const workbook = parseCustomerWorkbook(files.customersWorkbook);
  for (const e of workbook.errors) {
    problems.push(
      `ERROR customer workbook ${e.sheet}${e.row ? ` row ${e.row}` : ''}${e.column ? ` column ${e.column.header} (${e.column.letter})` : ''}: ${e.message}`,
    );
  }

  const readingsBySerial = new Map<string, Reading[]>();
  for (const file of files.meterFiles) {
    // No period filter here: a file may span several months; the engine bills only the period's slots.
    const parsed = parseMeterFile(file.bytes, { fileName: file.fileName, zone: options.zone });
    problems.push(...summarize(parsed.problems));
    for (const source of parsed.sources) {
      problems.push(...summarize(source.problems));
      if (!source.serial) continue;
      readingsBySerial.set(source.serial, [...(readingsBySerial.get(source.serial) ?? []), ...source.readings]);
    }
  }

  const forecasts = new Map<string, Map<string, Decimal>>();
  if (files.forecastWorkbook) {
    const parsed = parseForecastWorkbook(files.forecastWorkbook.bytes, {
      zone: options.zone,
      period: options.period,
      fileName: files.forecastWorkbook.fileName,
    });
    problems.push(...summarize(parsed.problems.filter((p) => p.code !== 'OUTSIDE_PERIOD')));
    for (const c of parsed.customers) {
      forecasts.set(c.customerCode, new Map(c.hours.map((h) => [h.hourStart.toISOString(), h.kwh])));
    }
  }

  const tariff = tariffFromJson(files.tariffJson);
  const invoices: PreviewInvoice[] = [];
  const withoutReadings: string[] = [];
  const customers = workbook.customers.filter((c) => !options.customer || c.code === options.customer);
  if (options.customer && customers.length === 0) {
    problems.push(`ERROR customer ${options.customer} is not in the customer workbook`);
  }
  for (const customer of customers) {
    const outcome = computeInvoice({
      customer: {
        code: customer.code,
        lossFactor: customer.lossFactor,
        discount: customer.discount,
        deviationTolerance: customer.deviationTolerance,
      },
      // The workbook lists the meters a customer has now; a preview takes them as assigned for the whole period.
      meters: customer.meters.map((m) => ({
        id: m.serial,
        multiplier: m.multiplier,
        assignments: [{ from: new Date(0), to: null }],
        readings: readingsBySerial.get(m.serial) ?? [],
      })),
      tariff,
      forecasts: forecasts.get(customer.code) ?? new Map<string, Decimal>(),
      period: options.period,
      zone: options.zone,
      vatRate: options.vatRate,
    });
    if (outcome.status === 'NO_READINGS') withoutReadings.push(customer.code);
    else if (outcome.status === 'NEGATIVE_TOTAL')
      problems.push(`ERROR ${customer.code}: the total is negative; only a credit note may be`);
    else invoices.push(toPreviewInvoice(outcome.draft, customer));
  }
  return { invoices, withoutReadings, problems };
}
