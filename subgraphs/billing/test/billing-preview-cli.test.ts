import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `npm run billing:preview` as a user runs it (the compiled CLI, which
 * `npm test` builds first): the September samples must print exactly
 * samples/expected/invoices-2025-09.json.
 */
const ROOT = resolve(__dirname, '../../..');
const SAMPLES = process.env.SAMPLES_DIR ?? resolve(ROOT, '../shared/samples');
const CLI = resolve(ROOT, 'subgraphs/billing/dist/preview/cli.js');
const sample = (path: string) => resolve(SAMPLES, path);

function preview(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
}

const SEPTEMBER = [
  '--customers',
  sample('customers/Datos de clientes para facturación.xlsx'),
  '--readings',
  sample('meters/Descargas medidores 2025-09.xlsx'),
  sample('meters/Medidor 5614112 2025-09.csv'),
  '--forecasts',
  sample('forecasts/Pronósticos 2025-09.xlsx'),
  '--tariff',
  sample('tariffs/MT-H.json'),
  '--period',
  '2025-09',
];

describe('billing:preview CLI', () => {
  it('is built (npm test builds before testing)', () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build`).toBe(true);
  });

  it('prints the ten September invoices exactly as invoices-2025-09.json', () => {
    const run = preview(SEPTEMBER);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const expected: unknown = JSON.parse(readFileSync(sample('expected/invoices-2025-09.json'), 'utf8'));
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('prints one customer with --customer', () => {
    const run = preview([...SEPTEMBER, '--customer', 'C-0001']);
    const invoices = JSON.parse(run.stdout) as { customer: string; total: string }[];
    expect(invoices).toEqual([expect.objectContaining({ customer: 'C-0001', total: '166760.87' })]);
  });

  it('bills nothing for a month the files do not cover, and says why', () => {
    const args = SEPTEMBER.map((a) => (a === '2025-09' ? '2025-10' : a));
    const run = preview([...args, '--customer', 'C-0002']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.stderr).toContain('C-0002: no reading in 2025-10');
  });

  it('explains a wrong invocation with the usage and exit code 2', () => {
    const run = preview(['--period', '2025-9']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--period must be YYYY-MM');
    expect(run.stderr).toContain('Usage: npm run billing:preview');
  });
});
