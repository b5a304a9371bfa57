import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { parseCustomerWorkbook, type ParsedCustomer, type RowError } from '../customer-workbook.parser';

const SAMPLES = process.env.SAMPLES_DIR ?? resolve(__dirname, '../../../../../../shared/samples');
const SAMPLE_WORKBOOK = resolve(SAMPLES, 'customers/Datos de clientes para facturación.xlsx');

const HEADERS = [
  'Código cliente',
  'Nombre / Razón social',
  'NIT',
  'NRC',
  'Nº contrato',
  'Dirección',
  'Departamento',
  'Municipio',
  'Nodo',
  'Serie medidor',
  'Factor de multiplicación',
  'Potencia contratada (kW)',
  'Nivel de tensión',
  'Tarifa',
  'Factor de pérdidas',
  'Descuento',
  'Tolerancia desvío',
  'Correo facturación',
  'Plazo de pago (días)',
];

type Row = (string | number | null)[];

function row(overrides: Partial<Record<(typeof HEADERS)[number], string | number | null>> = {}): Row {
  const base: Record<string, string | number | null> = {
    'Código cliente': 'C-0100',
    'Nombre / Razón social': 'Prueba, S.A. de C.V.',
    NIT: '0614-010101-101-1',
    NRC: '12345-6',
    'Nº contrato': 'EIS-MT-2025-001',
    Dirección: 'Calle 1',
    Departamento: 'San Salvador',
    Municipio: 'San Salvador',
    Nodo: 'Centro',
    'Serie medidor': '9000001',
    'Factor de multiplicación': 1,
    'Potencia contratada (kW)': 500,
    'Nivel de tensión': 'MT 23 kV',
    Tarifa: 'MT-H',
    'Factor de pérdidas': '2.35%',
    Descuento: 0,
    'Tolerancia desvío': null,
    'Correo facturación': 'pagos@prueba.example',
    'Plazo de pago (días)': 30,
  };
  const merged = { ...base, ...overrides };
  return HEADERS.map((h) => merged[h] ?? null);
}

function workbook(sheets: Record<string, XLSX.WorkSheet>): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, sheet] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, sheet, name);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

function sheetOf(rows: Row[]): XLSX.WorkSheet {
  return XLSX.utils.aoa_to_sheet(rows);
}

function byCode(customers: ParsedCustomer[], code: string): ParsedCustomer {
  const customer = customers.find((c) => c.code === code);
  if (!customer) throw new Error(`customer ${code} not parsed; got ${customers.map((c) => c.code).join(', ')}`);
  return customer;
}

function letterOf(header: string): string {
  return XLSX.utils.encode_col(HEADERS.indexOf(header));
}

describe('parseCustomerWorkbook on the sample workbook', () => {
  const { customers, errors } = parseCustomerWorkbook(readFileSync(SAMPLE_WORKBOOK));

  it('parses every row without errors', () => {
    expect(errors).toEqual([]);
  });

  it('gives the ten customers and eleven meters in the file', () => {
    expect(customers.map((c) => c.code)).toEqual([
      'C-0001',
      'C-0002',
      'C-0003',
      'C-0004',
      'C-0005',
      'C-0006',
      'C-0007',
      'C-0008',
      'C-0009',
      'C-0010',
    ]);
    expect(customers.flatMap((c) => c.meters.map((m) => m.serial))).toEqual([
      '5614086',
      '5614112',
      '5614201',
      '5613950',
      '5614300',
      '5614301',
      '5614415',
      '5614520',
      '5614633',
      '5614748',
      '5614859',
    ]);
  });

  it('reads C-0001 completely', () => {
    const c = byCode(customers, 'C-0001');
    expect({
      ...c,
      contractedKw: c.contractedKw?.toFixed(),
      lossFactor: c.lossFactor.toFixed(),
      discount: c.discount.toFixed(),
      deviationTolerance: c.deviationTolerance?.toFixed(),
      meters: c.meters.map((m) => ({ ...m, multiplier: m.multiplier.toFixed() })),
    }).toEqual({
      code: 'C-0001',
      name: 'Textiles Ateos, S.A. de C.V.',
      nit: '0614-150396-102-3',
      nrc: '87654-2',
      contractNumber: 'EIS-MT-2019-014',
      address: 'Km 28 Carretera a Sonsonate, Cantón Ateos',
      department: 'La Libertad',
      municipality: 'Sacacoyo',
      contractedKw: '1500',
      voltageLevel: 'MT 23 kV',
      tariffCode: 'MT-H',
      lossFactor: '0.0235',
      discount: '0',
      deviationTolerance: '0.1',
      billingEmail: 'facturacion@textilesateos.example',
      paymentTermsDays: 15,
      meters: [{ serial: '5614086', node: 'Ateos', multiplier: '1', sourceRow: 2 }],
      sourceRows: [2],
    });
  });

  it('merges the two rows of C-0005 into one customer with two meters of multiplier 80', () => {
    const c = byCode(customers, 'C-0005');
    expect(c.sourceRows).toEqual([6, 7]);
    expect(c.meters.map((m) => [m.serial, m.node, m.multiplier.toFixed()])).toEqual([
      ['5614300', 'Metapán', '80'],
      ['5614301', 'Metapán', '80'],
    ]);
  });

  it('reads the multipliers of 40 and 80 where the file has them, 1 elsewhere', () => {
    const multipliers = Object.fromEntries(
      customers.flatMap((c) => c.meters.map((m) => [m.serial, m.multiplier.toFixed()] as const)),
    );
    expect(multipliers).toEqual({
      '5614086': '1',
      '5614112': '40',
      '5614201': '1',
      '5613950': '1',
      '5614300': '80',
      '5614301': '80',
      '5614415': '1',
      '5614520': '1',
      '5614633': '1',
      '5614748': '40',
      '5614859': '1',
    });
  });

  it('reads every percent form of the file as the same fractions the expected invoices use', () => {
    const summary = customers.map((c) => [
      c.code,
      c.lossFactor.toFixed(),
      c.discount.toFixed(),
      c.deviationTolerance?.toFixed() ?? null,
    ]);
    expect(summary).toEqual([
      ['C-0001', '0.0235', '0', '0.1'],
      ['C-0002', '0.018', '0.02', null],
      ['C-0003', '0.0195', '0', '0.08'],
      ['C-0004', '0.021', '0.015', null],
      ['C-0005', '0.0125', '0.03', '0.05'],
      ['C-0006', '0.0205', '0', null],
      ['C-0007', '0.021', '0.01', null],
      ['C-0008', '0.0235', '0', null],
      ['C-0009', '0.015', '0.025', '0.1'],
      ['C-0010', '0.019', '0', null],
    ]);
  });

  it('agrees with the expected invoices on discounts and on who has deviation charges', () => {
    const expected = JSON.parse(readFileSync(resolve(SAMPLES, 'expected/invoices-2025-09.json'), 'utf8')) as {
      customer: string;
      lines: { kind: string; quantity: string }[];
    }[];
    for (const invoice of expected) {
      const c = byCode(customers, invoice.customer);
      const discount = invoice.lines.find((l) => l.kind === 'DISCOUNT');
      expect(c.discount.toFixed(), invoice.customer).toBe(discount ? discount.quantity : '0');
      expect(c.deviationTolerance !== null, invoice.customer).toBe(invoice.lines.some((l) => l.kind === 'DEVIATION'));
    }
  });

  it('accepts the same bytes as an ArrayBuffer and a Uint8Array', () => {
    const bytes = readFileSync(SAMPLE_WORKBOOK);
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(parseCustomerWorkbook(arrayBuffer).customers).toHaveLength(10);
    expect(parseCustomerWorkbook(new Uint8Array(arrayBuffer)).customers).toHaveLength(10);
  });
});

describe('parseCustomerWorkbook on bad rows', () => {
  const rows: Row[] = [
    HEADERS,
    row({ 'Código cliente': 'C-0100', 'Serie medidor': '9000001' }), // 2 valid
    row({ 'Código cliente': 'C-0101', 'Serie medidor': '9000002', 'Factor de multiplicación': 'cuarenta' }), // 3
    row({ 'Código cliente': 'C-0102', 'Serie medidor': '9000003', NIT: '0614-0101-101-1' }), // 4
    row({ 'Código cliente': null, 'Serie medidor': '9000004' }), // 5
    row({ 'Código cliente': 'C-0100', 'Serie medidor': '9000005', 'Factor de pérdidas': '1,95%' }), // 6 conflict
    row({ 'Código cliente': 'C-0103', 'Serie medidor': '9000006', 'Potencia contratada (kW)': 'mil' }), // 7
    row({
      'Código cliente': 'C-0100',
      'Serie medidor': '9000007',
      'Factor de pérdidas': 1.0235,
      NIT: '06140101011011',
    }), // 8 valid, same values
    row({ 'Código cliente': 'C-0104', 'Serie medidor': '9000001' }), // 9 duplicate meter
    [], // 10 blank: skipped
    row({ 'Código cliente': 'C-0105', 'Serie medidor': 5614999, NIT: 6140101011011, NRC: 123456 }), // 11 valid
    row({
      'Código cliente': 'C-0106',
      'Serie medidor': '9000008',
      'Tolerancia desvío': '10%',
      'Correo facturación': 'no es correo',
    }), // 12
    row({ 'Código cliente': 'C-0107', 'Serie medidor': '9000009', Descuento: '150%' }), // 13
  ];
  const { customers, errors } = parseCustomerWorkbook(workbook({ Clientes: sheetOf(rows) }));

  function errorsAt(rowNumber: number): RowError[] {
    return errors.filter((e) => e.row === rowNumber);
  }

  it('keeps the valid rows', () => {
    expect(customers.map((c) => c.code)).toEqual(['C-0100', 'C-0105']);
  });

  it('reports text in a number column at its sheet, row and column', () => {
    expect(errorsAt(3)).toEqual([
      {
        sheet: 'Clientes',
        row: 3,
        column: { header: 'Factor de multiplicación', letter: letterOf('Factor de multiplicación') },
        value: 'cuarenta',
        message: 'Multiplier must be a number like 1500 or 1500.5, got "cuarenta"',
      },
    ]);
    expect(errorsAt(7)).toEqual([
      {
        sheet: 'Clientes',
        row: 7,
        column: { header: 'Potencia contratada (kW)', letter: 'L' },
        value: 'mil',
        message: 'Contracted power (kW) must be a number like 1500 or 1500.5, got "mil"',
      },
    ]);
  });

  it('reports a bad NIT', () => {
    expect(errorsAt(4)).toEqual([
      {
        sheet: 'Clientes',
        row: 4,
        column: { header: 'NIT', letter: 'C' },
        value: '0614-0101-101-1',
        message:
          'NIT must have 14 digits in the form 0000-000000-000-0 (or 9 digits in the DUI form 00000000-0), got "0614-0101-101-1" (12 digits)',
      },
    ]);
  });

  it('reports a missing customer code', () => {
    expect(errorsAt(5)).toEqual([
      {
        sheet: 'Clientes',
        row: 5,
        column: { header: 'Código cliente', letter: 'A' },
        value: null,
        message: 'Customer code is required',
      },
    ]);
  });

  it('reports a conflicting value on the later row of a customer and keeps the earlier one', () => {
    expect(errorsAt(6)).toEqual([
      {
        sheet: 'Clientes',
        row: 6,
        column: { header: 'Factor de pérdidas', letter: 'O' },
        value: '1,95%',
        message:
          'Loss factor of customer C-0100 is 0.0195 here but 0.0235 on row 2; every row of a customer must agree',
      },
    ]);
    const c0100 = byCode(customers, 'C-0100');
    expect(c0100.lossFactor.toFixed()).toBe('0.0235');
  });

  it('merges a later row that agrees once normalised (multiplier form, NIT without dashes)', () => {
    expect(errorsAt(8)).toEqual([]);
    expect(byCode(customers, 'C-0100').meters.map((m) => [m.serial, m.sourceRow])).toEqual([
      ['9000001', 2],
      ['9000007', 8],
    ]);
    expect(byCode(customers, 'C-0100').sourceRows).toEqual([2, 8]);
  });

  it('reports a meter listed twice', () => {
    expect(errorsAt(9)).toEqual([
      {
        sheet: 'Clientes',
        row: 9,
        column: { header: 'Serie medidor', letter: 'J' },
        value: '9000001',
        message: 'Meter 9000001 is already listed on row 2 (customer C-0100)',
      },
    ]);
  });

  it('skips blank rows silently', () => {
    expect(errorsAt(10)).toEqual([]);
  });

  it('reads numbers typed into text columns without losing digits or leading zeros', () => {
    expect(errorsAt(11)).toEqual([]);
    const c = byCode(customers, 'C-0105');
    expect([c.nit, c.nrc, c.meters[0]?.serial]).toEqual(['0614-010101-101-1', '12345-6', '5614999']);
  });

  it('reports a discount above 100%', () => {
    expect(errorsAt(13).map((e) => [e.column?.header, e.value, e.message])).toEqual([
      ['Descuento', '150%', 'Discount must be at most 100%, got "150%"'],
    ]);
  });

  it('reports an invalid e-mail', () => {
    expect(errorsAt(12).map((e) => [e.column?.letter, e.value, e.message])).toEqual([
      [
        'R',
        'no es correo',
        'Billing e-mail must be one e-mail address like facturacion@empresa.com, got "no es correo"',
      ],
    ]);
  });

  it('reports nothing else', () => {
    expect(errors.map((e) => e.row)).toEqual([3, 4, 5, 6, 7, 9, 12, 13]);
  });
});

describe('parseCustomerWorkbook on layout variations', () => {
  it('finds the header below title lines, in any column order and spelling of case and accents', () => {
    const sheet = sheetOf([
      ['Datos de clientes EIS Power'],
      [],
      [
        'SERIE MEDIDOR',
        'tarifa',
        'codigo cliente',
        'Nodo',
        'Razon Social',
        'nit',
        'N.R.C.',
        'Factor de perdidas',
        'Notas',
      ],
      [
        '5614086',
        'MT-H',
        'C-0001',
        'Ateos',
        'Textiles Ateos, S.A. de C.V.',
        '0614-150396-102-3',
        '87654-2',
        '1.0235',
        'x',
      ],
    ]);
    const { customers, errors } = parseCustomerWorkbook(workbook({ Hoja1: sheetOf([['otra']]), ' clientes ': sheet }));
    expect(errors).toEqual([]);
    expect(customers).toHaveLength(1);
    const c = customers[0];
    expect([c?.code, c?.name, c?.legalName, c?.nrc, c?.lossFactor.toFixed(), c?.discount.toFixed()]).toEqual([
      'C-0001',
      'Textiles Ateos, S.A. de C.V.',
      'Textiles Ateos, S.A. de C.V.',
      '87654-2',
      '0.0235',
      '0',
    ]);
    expect(c?.meters.map((m) => [m.serial, m.node, m.multiplier.toFixed(), m.sourceRow])).toEqual([
      ['5614086', 'Ateos', '1', 4],
    ]);
    expect(c?.contractedKw).toBeNull();
    expect(c?.deviationTolerance).toBeNull();
  });

  it('reads the saved result of a formula cell, and reports an Excel error value', () => {
    const sheet = sheetOf([
      HEADERS,
      row({ 'Código cliente': 'C-0200' }),
      row({ 'Código cliente': 'C-0201', 'Serie medidor': '9000002' }),
    ]);
    const multiplier = letterOf('Factor de multiplicación');
    sheet[`${multiplier}2`] = { t: 'n', v: 40, f: '200/5' };
    sheet[`${letterOf('Potencia contratada (kW)')}3`] = { t: 'e', v: 0x2a, f: 'NA()' };
    const { customers, errors } = parseCustomerWorkbook(workbook({ Clientes: sheet }));
    expect(customers.map((c) => [c.code, c.meters[0]?.multiplier.toFixed()])).toEqual([['C-0200', '40']]);
    expect(errors).toEqual([
      {
        sheet: 'Clientes',
        row: 3,
        column: { header: 'Potencia contratada (kW)', letter: 'L' },
        value: '#N/A',
        message: 'Contracted power (kW) holds the Excel error #N/A',
      },
    ]);
  });

  it('reports a formula cell that was saved without a result', () => {
    const sheet = sheetOf([HEADERS, row()]);
    sheet[`${letterOf('Factor de pérdidas')}2`] = { t: 'n', f: 'Tarifas!B2' } as XLSX.CellObject;
    const { customers, errors } = parseCustomerWorkbook(workbook({ Clientes: sheet }));
    expect(customers).toEqual([]);
    expect(errors).toEqual([
      {
        sheet: 'Clientes',
        row: 2,
        column: { header: 'Factor de pérdidas', letter: 'O' },
        value: null,
        message: 'Loss factor holds a formula without a saved result; open the file in Excel, recalculate and save it',
      },
    ]);
  });

  it('reads the first of two columns for the same field and reports the second', () => {
    const sheet = sheetOf([
      [...HEADERS, 'Nit cliente'],
      [...row(), '0000-000000-000-0'],
    ]);
    const { customers, errors } = parseCustomerWorkbook(workbook({ Clientes: sheet }));
    expect(customers.map((c) => c.nit)).toEqual(['0614-010101-101-1']);
    expect(errors).toEqual([
      {
        sheet: 'Clientes',
        row: 1,
        column: { header: 'Nit cliente', letter: 'T' },
        value: 'Nit cliente',
        message: 'Columns C ("NIT") and T ("Nit cliente") both hold NIT; only column C is read',
      },
    ]);
  });

  it('names the sheets found when the sheet is missing', () => {
    const { customers, errors } = parseCustomerWorkbook(
      workbook({ Hoja1: sheetOf([HEADERS]), Tarifas: sheetOf([['x']]) }),
    );
    expect(customers).toEqual([]);
    expect(errors).toEqual([
      {
        sheet: 'Clientes',
        row: null,
        column: null,
        value: null,
        message: 'Sheet "Clientes" not found; the workbook has the sheets: "Hoja1", "Tarifas"',
      },
    ]);
  });

  it('reads another sheet when asked to', () => {
    const { customers } = parseCustomerWorkbook(workbook({ Hoja1: sheetOf([HEADERS, row()]) }), { sheetName: 'Hoja1' });
    expect(customers.map((c) => c.code)).toEqual(['C-0100']);
  });

  it('names the required columns that are missing', () => {
    const headers = HEADERS.filter((h) => h !== 'NIT' && h !== 'Factor de pérdidas');
    const { customers, errors } = parseCustomerWorkbook(workbook({ Clientes: sheetOf([headers]) }));
    expect(customers).toEqual([]);
    expect(errors).toEqual([
      {
        sheet: 'Clientes',
        row: 1,
        column: null,
        value: null,
        message:
          'Sheet "Clientes" has no header row with the columns NIT ("NIT"), Loss factor ("Factor de pérdidas") (matched ignoring case and accents); the closest header row has: ' +
          headers.map((h) => `"${h}"`).join(', '),
      },
    ]);
  });

  it('reports a file that is not a spreadsheet instead of throwing', () => {
    const { customers, errors } = parseCustomerWorkbook(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(customers).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^The file could not be read as a spreadsheet/);
  });
});
