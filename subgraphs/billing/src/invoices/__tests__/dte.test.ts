import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { buildDte, departmentCode, localDateTime, numeroControlOf, tipoDteOf, type DteInput } from '../dte';

/** C-0001's September 2025 invoice (BILLING.md §7), issued as the first invoice of 2025 on 3 October at 14:05:09. */
function c0001September(): DteInput {
  return {
    ambiente: '00',
    establecimiento: 'M001P001',
    sequence: 1,
    codigoGeneracion: '3f2b8c1e-9d4a-4e7b-a1c2-5d6e7f8a9b0c',
    issuedAt: new Date('2025-10-03T20:05:09Z'),
    zone: 'America/El_Salvador',
    invoice: {
      number: 'EIS-2025-000001',
      currency: 'USD',
      subtotal: '147575.99',
      vat: '19184.88',
      vatRate: '0.130000',
      total: '166760.87',
      paymentTermsDays: 15,
    },
    emisor: {
      nit: '0614-010190-101-5',
      nrc: '245871-3',
      nombre: 'EIS Power, S.A. de C.V.',
      nombreComercial: 'EIS Power',
      codActividad: '35102',
      descActividad: 'Distribución de energía eléctrica',
      departamento: '06',
      municipio: '14',
      direccion: 'Blvd. del Hipódromo 123, San Salvador',
      telefono: '2250-0000',
      correo: 'facturacion@eispower.example',
    },
    receptor: {
      nit: '0614-150396-102-3',
      nrc: '87654-2',
      nombre: 'Textiles Ateos, S.A. de C.V.',
      departamento: 'La Libertad',
      municipio: 'Sacacoyo',
      direccion: 'Km 28 Carretera a Sonsonate, Cantón Ateos',
      correo: 'facturacion@textilesateos.example',
    },
    lines: [
      {
        lineNo: 1,
        kind: 'ENERGY_VALLE',
        description: 'Energía valle',
        quantity: '167851.163800',
        unit: 'kWh',
        amount: '26589.64',
      },
      {
        lineNo: 2,
        kind: 'ENERGY_RESTO',
        description: 'Energía resto',
        quantity: '421396.507500',
        unit: 'kWh',
        amount: '72158.67',
      },
      {
        lineNo: 3,
        kind: 'ENERGY_PUNTA',
        description: 'Energía punta',
        quantity: '144164.067100',
        unit: 'kWh',
        amount: '27341.29',
      },
      {
        lineNo: 4,
        kind: 'DEMAND',
        description: 'Demanda máxima',
        quantity: '1404.686400',
        unit: 'kW',
        amount: '13871.28',
      },
      {
        lineNo: 5,
        kind: 'LOSSES',
        description: 'Pérdidas (2.35 %)',
        quantity: '17235.175852',
        unit: 'kWh',
        amount: '2963.11',
      },
      {
        lineNo: 6,
        kind: 'FTPMS',
        description: 'Cargo FTPMS',
        quantity: '733411.738400',
        unit: 'kWh',
        amount: '3087.66',
      },
      { lineNo: 7, kind: 'DEVIATION', description: 'Desvío', quantity: '10831.864800', unit: 'kWh', amount: '1564.34' },
    ],
  };
}

type Json = Record<string, unknown>;
const sum = (values: string[]) => values.reduce((a, v) => a.plus(v), new Decimal(0)).toFixed(2);

describe('DTE of C-0001, September 2025 (Comprobante de Crédito Fiscal)', () => {
  const dte = buildDte(c0001September());
  const identificacion = dte.identificacion as Json;
  const resumen = dte.resumen as Json;
  const items = dte.cuerpoDocumento as Json[];

  it('identifies a tipo 03 test-environment document numbered from the invoice sequence', () => {
    expect(identificacion).toEqual({
      version: 3,
      ambiente: '00',
      tipoDte: '03',
      numeroControl: 'DTE-03-M001P001-000000000000001',
      codigoGeneracion: '3F2B8C1E-9D4A-4E7B-A1C2-5D6E7F8A9B0C',
      tipoModelo: 1,
      tipoOperacion: 1,
      tipoContingencia: null,
      motivoContin: null,
      fecEmi: '2025-10-03',
      horEmi: '14:05:09',
      tipoMoneda: 'USD',
    });
    expect(identificacion.numeroControl).toMatch(/^DTE-03-[A-Z0-9]{8}-\d{15}$/);
  });

  it('has the emisor from the client and the receptor from the customer, NIT and NRC as digits', () => {
    expect(dte.emisor).toMatchObject({
      nit: '06140101901015',
      nrc: '2458713',
      nombre: 'EIS Power, S.A. de C.V.',
      codActividad: '35102',
      direccion: { departamento: '06', municipio: '14', complemento: 'Blvd. del Hipódromo 123, San Salvador' },
      codEstable: 'M001',
      codPuntoVenta: 'P001',
    });
    expect(dte.receptor).toEqual({
      nit: '06141503961023',
      nrc: '876542',
      nombre: 'Textiles Ateos, S.A. de C.V.',
      codActividad: null,
      descActividad: null,
      nombreComercial: null,
      direccion: {
        departamento: '05',
        municipio: null,
        complemento: 'Km 28 Carretera a Sonsonate, Cantón Ateos, Sacacoyo',
      },
      telefono: null,
      correo: 'facturacion@textilesateos.example',
    });
  });

  it('lists the seven lines as services whose ventaGravada are the invoice line amounts', () => {
    expect(items.map((i) => [i.numItem, i.codigo, i.ventaGravada])).toEqual([
      [1, 'ENERGY_VALLE', '26589.64'],
      [2, 'ENERGY_RESTO', '72158.67'],
      [3, 'ENERGY_PUNTA', '27341.29'],
      [4, 'DEMAND', '13871.28'],
      [5, 'LOSSES', '2963.11'],
      [6, 'FTPMS', '3087.66'],
      [7, 'DEVIATION', '1564.34'],
    ]);
    expect(items[3]).toEqual({
      numItem: 4,
      tipoItem: 2,
      numeroDocumento: null,
      codigo: 'DEMAND',
      codTributo: null,
      descripcion: 'Demanda máxima (1404.6864 kW)',
      cantidad: '1',
      uniMedida: 99,
      precioUni: '13871.28',
      montoDescu: '0.00',
      ventaNoSuj: '0.00',
      ventaExenta: '0.00',
      ventaGravada: '13871.28',
      tributos: ['20'],
      psv: '0.00',
      noGravado: '0.00',
    });
    for (const item of items) {
      expect(new Decimal(item.cantidad as string).times(item.precioUni as string).toFixed(2)).toBe(item.ventaGravada);
    }
    expect(sum(items.map((i) => i.ventaGravada as string))).toBe(resumen.totalGravada);
  });

  it('totals equal the invoice: 147,575.99 + IVA 19,184.88 = 166,760.87, in words, on credit for 15 days', () => {
    expect(resumen).toMatchObject({
      totalGravada: '147575.99',
      subTotalVentas: '147575.99',
      totalDescu: '0.00',
      tributos: [{ codigo: '20', descripcion: 'Impuesto al Valor Agregado 13%', valor: '19184.88' }],
      subTotal: '147575.99',
      ivaPerci1: '0.00',
      montoTotalOperacion: '166760.87',
      totalPagar: '166760.87',
      totalLetras: 'CIENTO SESENTA Y SEIS MIL SETECIENTOS SESENTA 87/100 DÓLARES',
      condicionOperacion: 2,
      pagos: [{ codigo: '05', montoPago: '166760.87', referencia: 'EIS-2025-000001', plazo: '01', periodo: 15 }],
    });
    expect(resumen).not.toHaveProperty('totalIva');
  });

  it('is plain JSON (survives a round trip unchanged)', () => {
    expect(JSON.parse(JSON.stringify(dte))).toEqual(dte);
  });
});

describe('DTE of a customer without NRC (Factura)', () => {
  const input: DteInput = {
    ...c0001September(),
    sequence: 42,
    receptor: { nit: '0614-010101-101-1', nrc: null, nombre: 'Cliente sin NRC', direccion: 'Santa Tecla' },
    invoice: { ...c0001September().invoice, subtotal: '147.00', vat: '19.11', total: '166.11', paymentTermsDays: 0 },
    lines: [
      { lineNo: 1, kind: 'ENERGY_VALLE', description: 'Energía valle', quantity: '500', unit: 'kWh', amount: '100.00' },
      { lineNo: 2, kind: 'DEMAND', description: 'Demanda', quantity: '5', unit: 'kW', amount: '50.00' },
      { lineNo: 3, kind: 'DISCOUNT', description: 'Descuento', quantity: '0.02', unit: 'fraction', amount: '-3.00' },
    ],
  };
  const dte = buildDte(input);
  const resumen = dte.resumen as Json;
  const items = dte.cuerpoDocumento as Json[];

  it('is a tipo 01 with prices including IVA; the discount is the document discount; totals still equal the invoice', () => {
    expect((dte.identificacion as Json).numeroControl).toBe('DTE-01-M001P001-000000000000042');
    expect((dte.identificacion as Json).version).toBe(1);
    expect(dte.receptor).toMatchObject({ tipoDocumento: '36', numDocumento: '06140101011011', nrc: null });
    expect(items.map((i) => [i.ventaGravada, i.ivaItem])).toEqual([
      ['113.00', '13.00'],
      ['56.50', '6.50'],
    ]);
    expect(resumen).toMatchObject({
      totalGravada: '169.50',
      descuGravada: '3.39',
      totalDescu: '3.39',
      subTotal: '166.11',
      tributos: null,
      totalIva: '19.11',
      montoTotalOperacion: '166.11',
      totalPagar: '166.11',
      totalLetras: 'CIENTO SESENTA Y SEIS 11/100 DÓLARES',
      condicionOperacion: 1,
    });
    expect(sum(items.map((i) => i.ventaGravada as string))).toBe(resumen.totalGravada);
  });
});

describe('DTE helpers', () => {
  it('chooses the document type by NRC', () => {
    expect(tipoDteOf({ nrc: '87654-2' })).toBe('03');
    expect(tipoDteOf({ nrc: null })).toBe('01');
    expect(tipoDteOf({ nrc: ' - ' })).toBe('01');
  });

  it('formats and checks numeroControl', () => {
    expect(numeroControlOf('03', 'M001P001', 123456)).toBe('DTE-03-M001P001-000000000123456');
    expect(() => numeroControlOf('03', 'M1', 1)).toThrow(/8 letters/);
    expect(() => numeroControlOf('03', 'M001P001', 0)).toThrow(/out of range/);
  });

  it('maps department names with or without accents to CAT-012 codes', () => {
    expect(departmentCode('La Libertad')).toBe('05');
    expect(departmentCode('Usulután')).toBe('11');
    expect(departmentCode('usulutan')).toBe('11');
    expect(departmentCode('06')).toBe('06');
    expect(departmentCode('Atlantis')).toBeNull();
    expect(departmentCode(null)).toBeNull();
  });

  it('gives local date and time in the client zone, across midnight UTC', () => {
    expect(localDateTime(new Date('2025-10-04T03:30:00Z'), 'America/El_Salvador')).toEqual(['2025-10-03', '21:30:00']);
  });

  it('refuses lines that do not add up to the subtotal', () => {
    const input = c0001September();
    expect(() => buildDte({ ...input, invoice: { ...input.invoice, subtotal: '147575.98' } })).toThrow(/do not add up/);
  });
});
