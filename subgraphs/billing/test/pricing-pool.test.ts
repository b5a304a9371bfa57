import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawCustomerInput } from '../src/runs/customer-pricing';
import { INLINE_PRICING, createPricingPool } from '../src/runs/pricing-pool';

/** A stand-in engine thread: answers INVALID with the customer code, or dies on the code CRASH. */
function fakeThreadScript(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pricing-pool-')), 'thread.js');
  writeFileSync(
    path,
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', ({ id, raw }) => {
       if (raw.input.customer.code === 'CRASH') process.exit(3);
       parentPort.postMessage({ id, priced: { status: 'INVALID', message: 'priced ' + raw.input.customer.code + ' in ' + process.pid } });
     });`,
  );
  return path;
}

const raw = (code: string) => ({ input: { customer: { code } }, meters: [] }) as unknown as RawCustomerInput;

describe('pricing pool', () => {
  it('runs inline without threads, or when the compiled thread script is missing (sources)', () => {
    expect(createPricingPool(0)).toBe(INLINE_PRICING);
    expect(createPricingPool(2, join(tmpdir(), 'no-such-engine-thread.js'))).toBe(INLINE_PRICING);
  });

  it('spreads customers over its threads and answers each with its own result', async () => {
    const pool = createPricingPool(2, fakeThreadScript());
    try {
      const priced = await Promise.all(['A', 'B', 'C', 'D'].map((code) => pool.price(raw(code))));
      expect(priced.map((p) => (p.status === 'INVALID' ? p.message.split(' ')[1] : null))).toEqual([
        'A',
        'B',
        'C',
        'D',
      ]);
    } finally {
      await pool.close();
    }
  });

  it('fails the customers of a thread that dies and replaces the thread', async () => {
    const pool = createPricingPool(1, fakeThreadScript());
    try {
      await expect(pool.price(raw('CRASH'))).rejects.toThrow(/exited with code 3/);
      await expect(pool.price(raw('AFTER'))).resolves.toMatchObject({
        status: 'INVALID',
        message: expect.stringMatching(/^priced AFTER/),
      });
    } finally {
      await pool.close();
    }
  });
});
