import { randomUUID } from 'node:crypto';
import { createDb, withTenant, type Database } from '@ciro/db';
import Decimal from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BinaryCopyWriter, uuidBytes } from '../copy-binary';
import { copyChunks } from '../raw-sql';

/**
 * The binary COPY writer against the real server: what PostgreSQL reads back must be exactly
 * what the same values give as text, for instants around the epochs and decimals of every shape
 * numeric(18, 6) holds (and the rounding of longer fractions it applies to text too).
 */

let database: Database;
const clientId = randomUUID();
const admin = { role: 'CLIENT_ADMIN' as const, clientId, customerId: null, userId: null };

beforeAll(() => {
  database = createDb({ url: process.env.DATABASE_URL ?? inject('databaseUrl'), max: 1 });
});
afterAll(async () => {
  await database.close();
});

interface Row {
  id: string;
  at: number;
  value: string | null;
}

/** COPYs the rows in binary and reads back, beside each, the server's reading of the same values as text. */
async function roundTrip(rows: readonly Row[]): Promise<{ binary: string[]; text: string[] }> {
  return withTenant(database, admin, async (tx) => {
    await tx.execute(
      sql.raw(
        'create temporary table copy_probe (n numeric, id uuid, at timestamptz, value numeric(18, 6)) on commit drop',
      ),
    );
    function* chunks(): Generator<Buffer> {
      const writer = new BinaryCopyWriter();
      for (const [n, row] of rows.entries()) {
        const full = writer.row(4);
        if (full) yield full;
        writer.numeric(String(n));
        writer.uuid(uuidBytes(row.id));
        writer.timestamptz(row.at);
        writer.numeric(row.value);
      }
      yield writer.end();
    }
    await copyChunks(tx, 'copy copy_probe (n, id, at, value) from stdin (format binary)', chunks());
    const read = await tx.execute<{ binary: string; text: string }>(sql`
      select concat_ws('|', p.id, p.at, p.value) as binary,
        concat_ws('|', x.id::uuid, x.at::timestamptz, x.value::numeric(18, 6)) as text
      from copy_probe p
      join jsonb_to_recordset(${JSON.stringify(
        rows.map((r, n) => ({ n, id: r.id, at: new Date(r.at).toISOString(), value: r.value })),
      )}::jsonb) as x(n numeric, id text, at text, value text) on x.n = p.n
      order by p.n`);
    return { binary: read.map((r) => r.binary), text: read.map((r) => r.text) };
  });
}

describe('BinaryCopyWriter', () => {
  it('writes decimals of every shape exactly as the server reads their text', async () => {
    const values = [
      '0',
      '0.0',
      '-0',
      '-0.000000',
      '1',
      '7',
      '10000',
      '9999',
      '99990000',
      '123456789012.123456',
      '-123456789012.123456',
      '0.000001',
      '0.00001234',
      '0.1',
      '0.0001',
      '1.0001',
      '10000.00001',
      '12.5',
      '-12.5',
      '0005.5000',
      '1234.5678',
      '100000000000.000001',
      // More fraction than the column keeps: the server rounds both forms alike.
      '1.23456789',
      '0.0000005',
      '-0.0000005',
      '2.9999995',
      null,
    ];
    // And a few thousand decimals as the parser makes them: decimal.js strings of varied scale.
    let seed = 7;
    const random = (): number => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (let i = 0; i < 5_000; i += 1) {
      const magnitude = 10 ** Math.floor(random() * 12);
      const scale = Math.floor(random() * 7);
      const sign = random() < 0.1 ? -1 : 1;
      values.push(new Decimal(random() * magnitude * sign).toFixed(scale));
    }
    const id = randomUUID();
    const rows = values.map((value, i) => ({ id, at: Date.UTC(2025, 8, 1, 6) + i * 900_000, value }));
    const { binary, text } = await roundTrip(rows);
    expect(binary).toHaveLength(values.length);
    expect(binary).toEqual(text);
    // Spot-check the reading itself, not only agreement with the text path.
    expect(binary[values.indexOf('0.00001234')]).toMatch(/\|0\.000012$/);
    expect(binary[values.indexOf('-123456789012.123456')]).toMatch(/\|-123456789012\.123456$/);
    expect(binary[values.indexOf(null)]).not.toMatch(/\|.*\|.*\|/);
  });

  it('writes instants before and after 2000 and across many chunks', async () => {
    const instants = [
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 0, 1),
      Date.UTC(1970, 0, 1),
      Date.UTC(1900, 5, 15, 12, 30),
      Date.UTC(2025, 8, 30, 23, 45),
      Date.UTC(2099, 11, 31, 23, 45),
      1_758_000_123_456,
    ];
    const ids = [randomUUID(), 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000'];
    const rows: Row[] = [];
    // Enough rows for several 64 KB chunks.
    for (let i = 0; i < 20_000; i += 1) {
      rows.push({ id: ids[i % ids.length] ?? '', at: instants[i % instants.length] ?? 0, value: '1.5' });
    }
    const { binary, text } = await roundTrip(rows);
    expect(binary).toHaveLength(rows.length);
    expect(binary).toEqual(text);
    expect(binary[0]).toBe(`${ids[0]}|1999-12-31 23:59:59.999+00|1.500000`);
  });

  it('refuses what it cannot write faithfully', () => {
    const writer = new BinaryCopyWriter();
    writer.row(1);
    expect(() => writer.numeric('1e-7')).toThrow('Not a plain decimal: "1e-7"');
    expect(() => writer.numeric('12,5')).toThrow('Not a plain decimal');
    expect(() => writer.timestamptz(Number.NaN)).toThrow('Not an instant');
    expect(() => uuidBytes('not-a-uuid')).toThrow('Not a uuid');
  });
});
