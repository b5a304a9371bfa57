import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { previewInvoices, type PreviewFiles } from './preview-invoices';

const USAGE = `Usage: npm run billing:preview -- --customers F.xlsx --readings F1 [F2 …] [--forecasts F.xlsx]
         --tariff F.json --period YYYY-MM [--customer CODE] [--zone America/El_Salvador] [--vat 0.13]

Prints the invoices of every customer (or one) as a JSON array, computed from the files with the
platform's parsers and billing engine, without a database. Problems go to stderr; the exit code is 1
when a file has an error.`;

const FLAGS = new Set(['customers', 'readings', 'forecasts', 'tariff', 'period', 'customer', 'zone', 'vat', 'help']);

/** `--flag value [value …]`: a flag takes every value up to the next flag. */
function parseArguments(argv: readonly string[]): Map<string, string[]> {
  const args = new Map<string, string[]>();
  let current: string | null = null;
  for (const token of argv) {
    if (token.startsWith('--')) {
      const [name, inline] = token.slice(2).split('=', 2) as [string, string | undefined];
      if (!FLAGS.has(name)) throw new Error(`Unknown option --${name}`);
      current = name;
      args.set(name, args.get(name) ?? []);
      if (inline !== undefined) args.get(name)?.push(inline);
      continue;
    }
    if (current === null) throw new Error(`Unexpected argument "${token}": values follow an option such as --readings`);
    args.get(current)?.push(token);
  }
  return args;
}

function one(args: Map<string, string[]>, name: string, fallback?: string): string {
  const values = args.get(name);
  if (!values || values.length === 0) {
    if (fallback !== undefined) return fallback;
    throw new Error(`Missing --${name}`);
  }
  if (values.length > 1) throw new Error(`--${name} takes one value, got ${values.length}`);
  return values[0];
}

function readOrThrow(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`Cannot read the ${what} ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function main(argv: readonly string[]): number {
  const args = parseArguments(argv);
  if (args.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const period = one(args, 'period');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) throw new Error(`--period must be YYYY-MM, got "${period}"`);
  const readings = args.get('readings') ?? [];
  if (readings.length === 0) throw new Error('Missing --readings: give at least one meter file');
  const tariffPath = one(args, 'tariff');
  const tariffText = readOrThrow(tariffPath, 'tariff').toString('utf8');
  let tariffJson: unknown;
  try {
    tariffJson = JSON.parse(tariffText);
  } catch (error) {
    throw new Error(
      `The tariff ${tariffPath} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const forecastPath = args.get('forecasts')?.[0];
  const files: PreviewFiles = {
    customersWorkbook: readOrThrow(one(args, 'customers'), 'customer workbook'),
    meterFiles: readings.map((path) => ({ fileName: basename(path), bytes: readOrThrow(path, 'meter file') })),
    ...(forecastPath
      ? {
          forecastWorkbook: { fileName: basename(forecastPath), bytes: readOrThrow(forecastPath, 'forecast workbook') },
        }
      : {}),
    tariffJson,
  };
  const customer = args.get('customer')?.[0];
  const result = previewInvoices(files, {
    period,
    zone: one(args, 'zone', 'America/El_Salvador'),
    vatRate: one(args, 'vat', '0.13'),
    ...(customer ? { customer } : {}),
  });
  for (const problem of result.problems) process.stderr.write(`${problem}\n`);
  for (const code of result.withoutReadings) {
    process.stderr.write(`NOTE ${code}: no reading in ${period}, so no invoice (BILLING.md §2)\n`);
  }
  if (result.problems.some((p) => p.startsWith('ERROR'))) return 1;
  process.stdout.write(`${JSON.stringify(result.invoices, null, 2)}\n`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`billing:preview: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exitCode = 2;
}
