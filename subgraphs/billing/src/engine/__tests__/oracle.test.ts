import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { TariffBlock } from '@ciro/subgraph-common';
import { parseForecastWorkbook, parseMeterFile } from '../../../../metering/src/parsing';
import type { Reading } from '../../../../metering/src/parsing';
import { parseCustomerWorkbook } from '../../../../tenancy/src/customers/customer-workbook.parser';
import { parseFraction } from '../../../../tenancy/src/customers/percent';
import { computeInvoice } from '../compute-invoice';
import { tariffFromJson } from '../tariff-json';
import type { BillingInput, MeterInput, MeterReading, RateSetInput, TariffInput } from '../types';
import {
  engineView,
  lossFactorFromWorkbook,
  monthSlots,
  oracleInvoice,
  roundCents,
  type OracleInvoice,
} from './oracle';

/**
 * Differential test: the engine against `oracle.ts`, an independent reading of BILLING.md, on the worked example,
 * on hand-built months and inputs the samples do not show, and on 200 seeded pseudo-random customer-months. Every
 * line's kind, quantity, rate and amount, the subtotal, VAT and total, and the data-quality counts must be equal as
 * strings.
 */

const SV = 'America/El_Salvador';
const NY = 'America/New_York';
const ALWAYS = [{ from: new Date('2000-01-01T00:00:00Z'), to: null }];
const hm = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
const block = (code: string, start: string, end: string, dayType: TariffBlock['dayType'] = 'ALL'): TariffBlock => ({
  code,
  dayType,
  startMinute: hm(start),
  endMinute: end === '24:00' ? 1440 : hm(end),
});

const MT_H_BLOCKS = [
  block('VALLE', '23:00', '05:00'),
  block('RESTO', '05:00', '18:00'),
  block('PUNTA', '18:00', '23:00'),
];
/** Day types: weekdays as MT-H, weekends with other edges, holidays all VALLE. */
const DAY_TYPE_BLOCKS = [
  block('VALLE', '23:00', '05:00', 'WEEKDAY'),
  block('RESTO', '05:00', '18:00', 'WEEKDAY'),
  block('PUNTA', '18:00', '23:00', 'WEEKDAY'),
  block('VALLE', '21:00', '08:00', 'WEEKEND'),
  block('RESTO', '08:00', '21:00', 'WEEKEND'),
  block('VALLE', '00:00', '24:00', 'HOLIDAY'),
];
/** MT-H every day plus an own FERIADO block (its own ENERGY line) on holidays. */
const FERIADO_BLOCKS = [...MT_H_BLOCKS, block('FERIADO', '00:00', '00:00', 'HOLIDAY')];
/** ALL for weekdays, a WEEKEND override without PUNTA. */
const ALL_WEEKEND_BLOCKS = [
  ...MT_H_BLOCKS,
  block('VALLE', '22:00', '06:00', 'WEEKEND'),
  block('RESTO', '06:00', '22:00', 'WEEKEND'),
];

const RATES_MAY: RateSetInput = {
  validFrom: '2025-05-01',
  energy: { VALLE: '0.158412', RESTO: '0.171237', PUNTA: '0.189654', FERIADO: '0.120001' },
  demand: '9.875000',
  ftpms: '0.004210',
  deviation: '0.144420',
};
const RATES_OCT15: RateSetInput = {
  validFrom: '2025-10-15',
  energy: { VALLE: '0.161085', RESTO: '0.174902', PUNTA: '0.193318', FERIADO: '0.121212' },
  demand: '10.125000',
  ftpms: '0.004380',
  deviation: '0.151730',
};
const RATES_2020: RateSetInput = { ...RATES_MAY, validFrom: '2020-01-01' };

function tariff(blocks: TariffBlock[], rateSets: RateSetInput[] = [RATES_2020, RATES_MAY, RATES_OCT15]): TariffInput {
  return { code: 'T', blocks, rateSets };
}

function engineOf(i: BillingInput): OracleInvoice {
  const outcome = computeInvoice(i, { creditNote: true });
  return outcome.status === 'NO_READINGS'
    ? engineView(null, outcome.dataQuality)
    : engineView(outcome.draft, outcome.draft.dataQuality);
}

/** Comparable view of both: the oracle's `none` (no rate applied, or a line without rate) is not compared. */
function compare(input: BillingInput): { engine: OracleInvoice; oracle: OracleInvoice } {
  const oracle = oracleInvoice(input);
  const engine = engineOf(input);
  engine.lines = engine.lines.map((l, i) => (oracle.lines[i]?.rate === 'none' ? { ...l, rate: 'none' } : l));
  return { engine, oracle };
}

function expectSame(input: BillingInput, label = ''): OracleInvoice {
  const { engine, oracle } = compare(input);
  expect(engine, label).toEqual(oracle);
  return oracle;
}

/** kWh with 4 decimals from an integer of ten-thousandths, never through a float. */
const fromTenThousandths = (n: number) => {
  const s = String(Math.abs(n)).padStart(5, '0');
  return `${n < 0 ? '-' : ''}${s.slice(0, -4)}.${s.slice(-4)}`;
};

function readingsFor(
  period: string,
  zone: string,
  value: (i: number, localIso: string) => string | null,
): MeterReading[] {
  const out: MeterReading[] = [];
  monthSlots(period, zone).forEach((s, i) => {
    const v = value(i, s.localIso);
    if (v !== null) out.push({ slotStart: new Date(s.ms), kwh: v });
  });
  return out;
}

function input(overrides: Partial<BillingInput>): BillingInput {
  return {
    customer: { code: 'C-ORACLE', lossFactor: '0.0235', discount: '0', deviationTolerance: null },
    meters: [],
    tariff: tariff(MT_H_BLOCKS),
    period: '2025-09',
    zone: SV,
    vatRate: '0.13',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The oracle's own primitives.

describe('oracle primitives', () => {
  it('rounds half away from zero, once', () => {
    expect(
      ['0.005', '-0.005', '0.0049999', '2.675', '-2.675', '1.004999999'].map((v) =>
        roundCents(new Decimal(v)).toFixed(2),
      ),
    ).toEqual(['0.01', '-0.01', '0.00', '2.68', '-2.68', '1.00']);
  });

  it('reads every workbook form of a loss factor as the platform parser does (§5)', () => {
    for (const form of ['2.35%', '2,35%', '2,35 %', '0.0235', '0,0235', '1.0235', '1,0235', '0%', '1', '0']) {
      const parsed = parseFraction(form, 'Loss factor', { allowMultiplier: true });
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.value.toFixed(), form).toBe(lossFactorFromWorkbook(form).toFixed());
    }
  });

  it('counts 2,688 / 2,784 / 2,880 / 2,976 slots in 28-, 29-, 30- and 31-day months (§1)', () => {
    expect(['2025-02', '2024-02', '2025-09', '2025-10'].map((p) => monthSlots(p, SV).length)).toEqual([
      2688, 2784, 2880, 2976,
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The worked example: the sample files through the platform's parsers (as test/expected-invoices.test.ts loads them).

const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../../shared/samples');

interface ExpectedInvoice {
  customer: string;
  lines: Array<{ kind: string; quantity: string; rate?: string; amount: string; missingForecastHours?: number }>;
  subtotal: string;
  vat: string;
  total: string;
  maxDemandAt: string;
  missingSlots: number;
  expectedSlots: number;
}

function sampleInputs(): Array<{ exp: ExpectedInvoice; input: BillingInput }> {
  const read = (path: string): Buffer => readFileSync(resolve(SAMPLES, path));
  const expected = JSON.parse(read('expected/invoices-2025-09.json').toString('utf8')) as ExpectedInvoice[];
  const parsed = parseCustomerWorkbook(read('customers/Datos de clientes para facturación.xlsx'));
  expect(parsed.errors).toEqual([]);
  const customers = new Map(parsed.customers.map((c) => [c.code, c]));
  const readingsBySerial = new Map<string, Reading[]>();
  for (const file of ['Descargas medidores 2025-09.xlsx', 'Medidor 5614112 2025-09.csv']) {
    const result = parseMeterFile(read(`meters/${file}`), { fileName: file, zone: SV, period: '2025-09' });
    expect(result.problems).toEqual([]);
    for (const source of result.sources) readingsBySerial.set(source.serial ?? '', source.readings);
  }
  const forecasts = parseForecastWorkbook(read('forecasts/Pronósticos 2025-09.xlsx'), { zone: SV, period: '2025-09' });
  expect(forecasts.problems).toEqual([]);
  const forecastsByCustomer = new Map(
    forecasts.customers.map((c) => [c.customerCode, new Map(c.hours.map((h) => [h.hourStart.toISOString(), h.kwh]))]),
  );
  const sampleTariff = tariffFromJson(JSON.parse(read('tariffs/MT-H.json').toString('utf8')));
  return expected.map((exp) => {
    const c = customers.get(exp.customer);
    if (!c) throw new Error(`no customer ${exp.customer}`);
    return {
      exp,
      input: {
        customer: {
          code: c.code,
          lossFactor: c.lossFactor,
          discount: c.discount,
          deviationTolerance: c.deviationTolerance,
        },
        meters: c.meters.map((m) => ({
          id: m.serial,
          multiplier: m.multiplier,
          assignments: ALWAYS,
          readings: readingsBySerial.get(m.serial) ?? [],
        })),
        tariff: sampleTariff,
        forecasts: forecastsByCustomer.get(c.code) ?? new Map<string, Decimal>(),
        period: '2025-09',
        zone: SV,
        vatRate: '0.13',
      },
    };
  });
}

describe('the worked example (samples/expected/invoices-2025-09.json)', () => {
  const cases = sampleInputs();

  it.each(cases.map((c) => [c.exp.customer, c] as const))(
    '%s: the oracle reproduces the expected invoice',
    (_code, { exp, input: i }) => {
      const o = oracleInvoice(i);
      expect(o.status).toBe('DRAFT');
      expect(
        o.lines.map((l) => ({
          kind: l.kind,
          quantity: new Decimal(l.quantity).toFixed(),
          amount: l.amount,
          ...(l.kind === 'DEMAND' ? { rate: new Decimal(l.rate).toFixed(6) } : {}),
        })),
      ).toEqual(
        exp.lines.map((l) => ({
          kind: l.kind,
          quantity: new Decimal(l.quantity).toFixed(),
          amount: l.amount,
          ...(l.rate === undefined ? {} : { rate: l.rate }),
        })),
      );
      expect({ subtotal: o.subtotal, vat: o.vat, total: o.total }).toEqual({
        subtotal: exp.subtotal,
        vat: exp.vat,
        total: exp.total,
      });
      expect({ maxDemandAt: o.maxDemandAt, expectedSlots: o.expectedSlots, missingSlots: o.missingSlots }).toEqual({
        maxDemandAt: exp.maxDemandAt,
        expectedSlots: exp.expectedSlots,
        missingSlots: exp.missingSlots,
      });
      const dev = exp.lines.find((l) => l.kind === 'DEVIATION');
      if (dev) expect(o.missingForecastHours).toBe(dev.missingForecastHours);
    },
  );

  it.each(cases.map((c) => [c.exp.customer, c] as const))('%s: the engine equals the oracle', (code, { input: i }) => {
    expectSame(i, code);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hand-built months and inputs.

/** Distinct, recognisable kWh per slot: position in the month, with 4 decimals. */
const patterned = (i: number) => fromTenThousandths(((i * 7919) % 200_000) + 1);

describe('generated months', () => {
  it.each([
    ['2025-02', 28],
    ['2024-02', 29],
    ['2025-09', 30],
    ['2025-10', 31],
    ['2025-11', 30],
    ['2025-12', 31],
  ])('%s (%i days): every line equal, MT-H', (period, days) => {
    const o = expectSame(
      input({ period, meters: [{ id: 'M', assignments: ALWAYS, readings: readingsFor(period, SV, patterned) }] }),
    );
    expect(o.expectedSlots).toBe(days * 96);
  });

  it('first and last slot of the month, and every block edge (§1, §3)', () => {
    const period = '2024-02';
    const edges = ['00:00', '04:45', '05:00', '17:45', '18:00', '22:45', '23:00', '23:45'];
    const o = expectSame(
      input({
        period,
        meters: [
          {
            id: 'M',
            assignments: ALWAYS,
            readings: readingsFor(period, SV, (i, iso) =>
              i === 0
                ? '1000.0001'
                : i === 2783
                  ? '2000.0002'
                  : edges.includes(iso.slice(11, 16))
                    ? fromTenThousandths(i + 1)
                    : null,
            ),
          },
        ],
      }),
    );
    expect(o.maxDemandAt).toBe('2024-02-29T23:45:00');
    expect(o.lines.find((l) => l.kind === 'DEMAND')?.quantity).toBe('8000.0008');
  });

  it('only the first slot, then only the last slot', () => {
    for (const only of [0, 2975]) {
      expectSame(
        input({
          period: '2025-10',
          meters: [
            { id: 'M', assignments: ALWAYS, readings: readingsFor('2025-10', SV, (i) => (i === only ? '3.5' : null)) },
          ],
        }),
        String(only),
      );
    }
  });

  it('the rate change on 2025-10-15: the slot at 14/10 23:45 local and 15/10 00:00 (§4)', () => {
    expectSame(
      input({
        period: '2025-10',
        customer: { code: 'C', lossFactor: '0.0235', discount: '0.02', deviationTolerance: '0.1' },
        meters: [
          {
            id: 'M',
            assignments: ALWAYS,
            readings: readingsFor('2025-10', SV, (_i, iso) =>
              iso.startsWith('2025-10-14T23:45') ? '10' : iso.startsWith('2025-10-15T00:00') ? '20' : null,
            ),
          },
        ],
      }),
    );
  });

  describe.each([
    ['day types WEEKDAY/WEEKEND/HOLIDAY', DAY_TYPE_BLOCKS],
    ['ALL + a FERIADO block on holidays', FERIADO_BLOCKS],
    ['ALL + a WEEKEND override', ALL_WEEKEND_BLOCKS],
  ])('%s', (_name, blocks) => {
    // 2024-02-14 Wednesday and 2024-02-25 Sunday; 2025-09-15 Monday and 2025-09-13 Saturday.
    it.each([
      ['2024-02', ['2024-02-14', '2024-02-25']],
      ['2025-09', ['2025-09-15', '2025-09-13']],
      ['2025-10', ['2025-10-14', '2025-10-15', '2025-10-31']],
    ])('%s with holidays %j', (period, holidays) => {
      expectSame(
        input({
          period,
          tariff: tariff(blocks),
          holidays: new Set(holidays),
          customer: { code: 'C', lossFactor: '0.0235', discount: '0.015', deviationTolerance: null },
          meters: [{ id: 'M', assignments: ALWAYS, readings: readingsFor(period, SV, patterned) }],
        }),
      );
    });
  });

  it('a DST month (America/New_York, November and March)', () => {
    for (const period of ['2025-11', '2025-03']) {
      expectSame(
        input({
          period,
          zone: NY,
          customer: { code: 'C', lossFactor: '0.0235', discount: '0', deviationTolerance: '0.05' },
          tariff: tariff(DAY_TYPE_BLOCKS),
          meters: [{ id: 'M', assignments: ALWAYS, readings: readingsFor(period, NY, patterned) }],
          forecasts: new Map(
            monthSlots(period, NY)
              .filter((s) => s.minute % 60 === 0)
              .map((s, h) => [new Date(s.ms).toISOString(), fromTenThousandths(h * 1000)]),
          ),
        }),
        period,
      );
    }
  });
});

describe('customers and inputs', () => {
  const period = '2025-09';

  it('several meters with multipliers as strings, Decimals and the default', () => {
    expectSame(
      input({
        meters: [
          { id: 'A', multiplier: '40', assignments: ALWAYS, readings: readingsFor(period, SV, patterned) },
          {
            id: 'B',
            multiplier: new Decimal('80'),
            assignments: ALWAYS,
            readings: readingsFor(period, SV, (i) => patterned(i + 17)),
          },
          { id: 'C', assignments: ALWAYS, readings: readingsFor(period, SV, (i) => (i % 3 ? patterned(i) : null)) },
          { id: 'D', multiplier: '0.5', assignments: ALWAYS, readings: readingsFor(period, SV, patterned) },
        ],
      }),
    );
  });

  it.each(['2.35%', '2,35%', '0.0235', '1.0235', '1.0195', '1,95%', '0.018', '0'])(
    'loss factor written %s (engine gets the platform parser’s fraction)',
    (form) => {
      const parsed = parseFraction(form, 'Loss factor', { allowMultiplier: true });
      if (!parsed.ok) throw new Error(parsed.message);
      const meters = [{ id: 'M', assignments: ALWAYS, readings: readingsFor(period, SV, patterned) }];
      const engineInput = input({
        customer: { code: 'C', lossFactor: parsed.value, discount: '0', deviationTolerance: null },
        meters,
      });
      const oracleInput = input({
        customer: { code: 'C', lossFactor: lossFactorFromWorkbook(form), discount: '0', deviationTolerance: null },
        meters,
      });
      const oracle = compare(oracleInput).oracle;
      const engine = engineOf(engineInput);
      engine.lines = engine.lines.map((l, i) => (oracle.lines[i]?.rate === 'none' ? { ...l, rate: 'none' } : l));
      expect(engine).toEqual(oracle);
    },
  );

  it('gaps: missing ranges in one meter, a whole day missing, hours half missing', () => {
    const gap = (i: number) => (i >= 100 && i < 250) || (i >= 960 && i < 1056) || i % 96 === 50 || i % 96 === 51;
    expectSame(
      input({
        customer: { code: 'C', lossFactor: '0.0235', discount: '0.03', deviationTolerance: '0.1' },
        meters: [
          {
            id: 'A',
            multiplier: '40',
            assignments: ALWAYS,
            readings: readingsFor(period, SV, (i) => (gap(i) ? null : patterned(i))),
          },
          {
            id: 'B',
            multiplier: '80',
            assignments: ALWAYS,
            readings: readingsFor(period, SV, (i) => (i >= 2000 ? null : patterned(i))),
          },
        ],
        forecasts: new Map(
          monthSlots(period, SV)
            .filter((s) => s.minute % 60 === 0)
            .map((s, h) => [s.localIso, String(4 * 40 * (h % 7))]),
        ),
      }),
    );
  });

  it('zero consumption all month: an invoice of zeros (with a discount and deviation)', () => {
    const o = expectSame(
      input({
        customer: { code: 'C', lossFactor: '0.0235', discount: '0.03', deviationTolerance: '0.1' },
        meters: [{ id: 'M', assignments: ALWAYS, readings: readingsFor(period, SV, () => '0.0000') }],
      }),
    );
    expect(o.total).toBe('0.00');
  });

  it('no reading at all: no invoice', () => {
    expect(expectSame(input({ meters: [{ id: 'M', assignments: ALWAYS, readings: [] }] })).status).toBe('NO_READINGS');
    expect(expectSame(input({ meters: [] })).status).toBe('NO_READINGS');
  });

  it('a meter swap mid-month and a meter assigned from mid-month', () => {
    const swap = new Date(monthSlots(period, SV)[1234].ms);
    expectSame(
      input({
        customer: { code: 'C', lossFactor: '0.0235', discount: '0', deviationTolerance: '0.1' },
        meters: [
          {
            id: 'OLD',
            multiplier: '40',
            assignments: [{ from: ALWAYS[0].from, to: swap }],
            readings: readingsFor(period, SV, patterned),
          },
          {
            id: 'NEW',
            multiplier: '80',
            assignments: [{ from: swap, to: null }],
            readings: readingsFor(period, SV, patterned),
          },
        ],
        forecasts: new Map(
          monthSlots(period, SV)
            .filter((s) => s.minute % 60 === 0)
            .map((s) => [s.localIso, '600']),
        ),
      }),
    );
    expectSame(
      input({
        customer: { code: 'C', lossFactor: '0.0235', discount: '0', deviationTolerance: '0.1' },
        meters: [{ id: 'LATE', assignments: [{ from: swap, to: null }], readings: readingsFor(period, SV, patterned) }],
        forecasts: new Map(
          monthSlots(period, SV)
            .filter((s) => s.minute % 60 === 0)
            .map((s) => [s.localIso, '60']),
        ),
      }),
    );
  });

  it.each([
    ['forecast above consumption', (h: number) => String(1000 + h)],
    ['forecast below consumption', (h: number) => String(h % 5)],
    ['forecast inside the tolerance', () => '170'],
    ['some forecasts missing', (h: number) => (h % 11 === 0 ? undefined : '170')],
    ['no forecasts at all', () => undefined],
  ])('deviation: %s', (_name, forecast) => {
    for (const tolerance of ['0.1', '0', '0.25']) {
      const forecasts = new Map<string, string>();
      monthSlots(period, SV)
        .filter((s) => s.minute % 60 === 0)
        .forEach((s, h) => {
          const f = forecast(h);
          if (f !== undefined) forecasts.set(h % 2 ? s.localIso : new Date(s.ms).toISOString(), f);
        });
      expectSame(
        input({
          customer: { code: 'C', lossFactor: '0.0235', discount: '0', deviationTolerance: tolerance },
          meters: [
            {
              id: 'M',
              multiplier: '40',
              assignments: ALWAYS,
              readings: readingsFor(period, SV, (i) => fromTenThousandths(((i * 104729) % 20_000) + 1)),
            },
          ],
          forecasts,
        }),
        tolerance,
      );
    }
  });

  it('VAT rates and adjustments (credits, debits, half cents), a negative total on a credit note', () => {
    for (const vatRate of ['0.13', '0', '0.15', '0.075']) {
      expectSame(
        input({
          vatRate,
          customer: { code: 'C', lossFactor: '0.0235', discount: '0.025', deviationTolerance: null },
          meters: [
            { id: 'M', assignments: ALWAYS, readings: readingsFor(period, SV, (i) => (i % 97 ? null : patterned(i))) },
          ],
          adjustments: [
            { description: 'Débito', amount: '12.345' },
            { description: 'Crédito', amount: '-0.005' },
            { description: 'Crédito grande', amount: '-100000' },
          ],
        }),
        vatRate,
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 200 seeded pseudo-random customer-months.

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCase(seed: number): BillingInput {
  const r = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  const decimals = (n: number, places: number) => {
    const s = String(n).padStart(places + 1, '0');
    return `${s.slice(0, -places)}.${s.slice(-places)}`;
  };

  // Mostly the client's zone; some DST zones, a +05:45 zone and a zone whose DST shift is 30 minutes.
  const zone =
    r() < 0.75 ? SV : pick([NY, NY, 'Asia/Kathmandu', 'Australia/Adelaide', 'Australia/Lord_Howe', 'America/Santiago']);
  const year = int(2024, 2026);
  const month = int(1, 12);
  const period = `${year}-${String(month).padStart(2, '0')}`;
  const slots = monthSlots(period, zone);
  const days = [...new Set(slots.map((s) => s.date))];

  const blocks = pick([MT_H_BLOCKS, MT_H_BLOCKS, DAY_TYPE_BLOCKS, FERIADO_BLOCKS, ALL_WEEKEND_BLOCKS]);
  const codes = [...new Set(blocks.map((b) => b.code))];
  const rateSet = (validFrom: string): RateSetInput => ({
    validFrom,
    energy: Object.fromEntries(codes.map((c) => [c, decimals(int(100_000, 250_000), 6)])),
    demand: decimals(int(8_000_000, 12_000_000), 6),
    ftpms: decimals(int(3_000, 6_000), 6),
    deviation: decimals(int(100_000, 200_000), 6),
  });
  const rateSets = [rateSet('2020-01-01')];
  for (let k = int(0, 3); k > 0; k--) {
    const validFrom = pick(days);
    if (!rateSets.some((s) => s.validFrom === validFrom)) rateSets.push(rateSet(validFrom));
  }
  if (r() < 0.2)
    rateSets.push({ ...rateSets[0], validFrom: pick(days) === rateSets[0].validFrom ? '2020-06-01' : pick(days) });
  const uniqueSets = [...new Map(rateSets.map((s) => [s.validFrom, s])).values()];

  const holidays = new Set<string>();
  for (let k = int(0, 3); k > 0; k--) holidays.add(pick(days));

  const meterCount = pick([1, 1, 2, 2, 3]);
  const swapAt = r() < 0.25 ? new Date(pick(slots).ms) : null;
  const profile = pick(['flat', 'flat', 'peaky', 'peaky', 'zero', 'sparse', 'sparse', 'none']);
  const meters: MeterInput[] = [];
  for (let m = 0; m < meterCount; m++) {
    const gapFrom = r() < 0.4 ? int(0, slots.length - 1) : -1;
    const gapLen = int(1, 400);
    const readings: MeterReading[] = [];
    slots.forEach((s, i) => {
      if (gapFrom >= 0 && i >= gapFrom && i < gapFrom + gapLen) return;
      if (profile === 'none' || (profile === 'sparse' && r() < 0.9)) return;
      if (r() < 0.01) return; // isolated missing slots
      const n = profile === 'zero' ? 0 : profile === 'peaky' && r() < 0.02 ? int(100_000, 2_000_000) : int(0, 60_000);
      readings.push({ slotStart: new Date(s.ms), kwh: decimals(n, 4) });
    });
    const assignments =
      swapAt === null ? ALWAYS : m === 0 ? [{ from: ALWAYS[0].from, to: swapAt }] : [{ from: swapAt, to: null }];
    const multiplier = pick<string | Decimal | undefined>([
      '1',
      '40',
      '80',
      '120',
      new Decimal('40'),
      undefined,
      '0.5',
      '2.5',
    ]);
    meters.push({ id: `M${m}`, ...(multiplier === undefined ? {} : { multiplier }), assignments, readings });
  }

  const tolerance = r() < 0.5 ? pick(['0.1', '0.05', '0', '0.15', '0.2']) : null;
  const forecasts = new Map<string, string>();
  if (tolerance !== null) {
    const level = pick([0, 50, 200, 400, 3_000]);
    for (const s of slots.filter((x) => x.minute % 60 === 0)) {
      if (r() < 0.05) continue; // missing nomination
      // Local wall-time keys only where they are unambiguous (no repeated hour in the client's zone).
      const key = zone === SV && r() < 0.5 ? s.localIso : new Date(s.ms).toISOString();
      forecasts.set(key, decimals(int(0, level * 10_000), 4));
    }
  }

  const adjustments = Array.from({ length: pick([0, 0, 0, 1, 2]) }, (_, k) => ({
    description: `Ajuste ${k + 1}`,
    amount: `${r() < 0.5 ? '-' : ''}${decimals(int(0, 5_000_000), 3)}`,
  }));

  return {
    customer: {
      code: `C-R${seed}`,
      lossFactor: pick(['0', '0.0235', '0.0195', '0.018', '0.0125', '0.05']),
      discount: pick(['0', '0', '0.01', '0.015', '0.02', '0.025', '0.03']),
      deviationTolerance: tolerance,
    },
    meters,
    tariff: { code: 'RND', blocks, rateSets: r() < 0.5 ? uniqueSets : [...uniqueSets].reverse() },
    forecasts,
    adjustments,
    period,
    zone,
    vatRate: pick(['0.13', '0.13', '0.15', '0']),
    holidays,
  };
}

describe('200 seeded pseudo-random customer-months', () => {
  it('the generator reaches the cases it is meant to', () => {
    const seen = new Map<string, number>();
    const hit = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
    for (let seed = 1; seed <= 200; seed++) {
      const i = randomCase(seed);
      const o = oracleInvoice(i);
      hit(`zone ${i.zone}`);
      hit(`days ${new Set(monthSlots(i.period, i.zone).map((x) => x.date)).size}`);
      hit(`meters ${i.meters.length}`);
      if (o.status === 'NO_READINGS') hit('no readings');
      if (o.missingSlots > 0) hit('gaps');
      if (i.meters.some((m) => m.assignments.some((a) => a.to !== null))) hit('swap');
      if (o.lines.some((l) => l.kind.startsWith('ENERGY') && l.rate === 'variable'))
        hit('rate change inside the month');
      if (o.lines.some((l) => l.kind === 'DEVIATION' && l.amount !== '0.00')) hit('deviation charged');
      if (o.missingForecastHours > 0) hit('missing forecasts');
      if (o.lines.some((l) => l.kind === 'DISCOUNT')) hit('discount');
      if (o.lines.some((l) => l.kind === 'ADJUSTMENT')) hit('adjustment');
      if (o.lines.some((l) => l.kind === 'ENERGY_FERIADO' && l.quantity !== '0')) hit('FERIADO consumed');
      if (i.tariff.blocks.some((b) => b.dayType === 'HOLIDAY') && (i.holidays?.size ?? 0) > 0) hit('holiday tariff');
      if (o.status === 'DRAFT' && o.total.startsWith('-')) hit('negative total');
      if (
        o.lines.length > 0 &&
        o.lines.every((l) => l.kind === 'ADJUSTMENT' || l.quantity === '0' || l.kind === 'DISCOUNT')
      )
        hit('zero consumption');
    }
    const at = (key: string) => seen.get(key) ?? 0;
    for (const key of [
      'days 28',
      'days 29',
      'days 30',
      'days 31',
      'meters 1',
      'meters 2',
      'meters 3',
      'gaps',
      'swap',
    ]) {
      expect(at(key), key).toBeGreaterThan(2);
    }
    for (const key of [
      'no readings',
      'rate change inside the month',
      'deviation charged',
      'missing forecasts',
      'discount',
    ]) {
      expect(at(key), key).toBeGreaterThan(2);
    }
    for (const key of ['adjustment', 'FERIADO consumed', 'holiday tariff', 'zero consumption', `zone ${NY}`]) {
      expect(at(key), key).toBeGreaterThan(2);
    }
  });

  it.each(Array.from({ length: 20 }, (_, k) => k))('batch %i (10 customer-months)', (batch) => {
    for (let seed = batch * 10 + 1; seed <= batch * 10 + 10; seed++) {
      const i = randomCase(seed);
      expectSame(i, `seed ${seed} ${i.period} ${i.zone}`);
    }
  });
});
