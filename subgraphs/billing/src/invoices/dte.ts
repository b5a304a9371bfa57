import { amountInSpanishWords } from '@ciro/subgraph-common';
import Decimal from 'decimal.js';

/**
 * El Salvador's Documento Tributario Electrónico (Ministerio de Hacienda) of an issued invoice, as JSON: a
 * "Comprobante de Crédito Fiscal" (tipoDte 03) for a business customer with an NRC, a "Factura" (01) otherwise.
 * Pure: everything comes in through `DteInput`; amounts are decimal strings (2 decimals, 8 for unit prices).
 * What is stored here is the document to be signed and transmitted; signing (JWS) and transmission are not done here.
 */

export type DteAmbiente = '00' | '01';

/** Where the issuer's DTE settings live: `clients.branding.dte` (activity, establishment, contact). */
export interface ClientDteSettings {
  codActividad?: string;
  descActividad?: string;
  nombreComercial?: string;
  telefono?: string;
  correo?: string;
  /** CAT-012 department code, e.g. "06" (San Salvador); derived from `departamento` names when absent. */
  departamento?: string;
  /** CAT-013 municipality code. */
  municipio?: string;
  /** Establishment (4) + point of sale (4) of numeroControl, e.g. "M001P001". */
  establecimiento?: string;
  codEstableMH?: string;
  codPuntoVentaMH?: string;
}

export interface DteParty {
  nit: string | null;
  nrc: string | null;
  nombre: string;
  nombreComercial?: string | null;
  codActividad?: string | null;
  descActividad?: string | null;
  /** Department name ("La Libertad") or CAT-012 code ("05"). */
  departamento?: string | null;
  municipio?: string | null;
  direccion?: string | null;
  telefono?: string | null;
  correo?: string | null;
}

export interface DteLineInput {
  lineNo: number;
  kind: string;
  description: string;
  quantity: string | null;
  unit: string | null;
  amount: string;
}

export interface DteInput {
  ambiente: DteAmbiente;
  /** "M001P001" unless the client configures one. */
  establecimiento: string;
  /** The invoice's sequence in its fiscal year: the 15 digits of numeroControl. */
  sequence: number;
  /** A v4 UUID (printed uppercase). */
  codigoGeneracion: string;
  issuedAt: Date;
  /** The client's IANA zone: fecEmi / horEmi are local. */
  zone: string;
  invoice: {
    number: string;
    currency: string;
    subtotal: string;
    vat: string;
    vatRate: string;
    total: string;
    paymentTermsDays: number;
  };
  emisor: DteParty & {
    codEstableMH?: string | null;
    codPuntoVentaMH?: string | null;
  };
  receptor: DteParty;
  lines: DteLineInput[];
}

/** CAT-012 departments of El Salvador. */
const DEPARTMENTS: Record<string, string> = {
  ahuachapan: '01',
  'santa ana': '02',
  sonsonate: '03',
  chalatenango: '04',
  'la libertad': '05',
  'san salvador': '06',
  cuscatlan: '07',
  'la paz': '08',
  cabanas: '09',
  'san vicente': '10',
  usulutan: '11',
  'san miguel': '12',
  morazan: '13',
  'la union': '14',
};

export function departmentCode(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d{2}$/.test(trimmed)) return trimmed;
  const key = trimmed
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  return DEPARTMENTS[key] ?? null;
}

const digits = (value: string | null | undefined): string | null => {
  const d = value?.replace(/\D/g, '') ?? '';
  return d.length > 0 ? d : null;
};
const money = (value: Decimal.Value): string => new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
const ZERO = '0.00';

/** numeroControl: `DTE-<tipo>-<establecimiento 8>-<15 digits>`. */
export function numeroControlOf(tipoDte: string, establecimiento: string, sequence: number): string {
  if (!/^[A-Z0-9]{8}$/.test(establecimiento)) {
    throw new Error(`DTE establishment code must be 8 letters/digits (e.g. M001P001), got ${establecimiento}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999_999_999_999_999) {
    throw new Error(`DTE sequence out of range: ${sequence}`);
  }
  return `DTE-${tipoDte}-${establecimiento}-${String(sequence).padStart(15, '0')}`;
}

/** Local date and time of an instant in a zone: ["2025-10-03", "14:05:09"]. */
export function localDateTime(at: Date, zone: string): [string, string] {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return [`${parts.year}-${parts.month}-${parts.day}`, `${parts.hour}:${parts.minute}:${parts.second}`];
}

function formatQuantity(quantity: string, unit: string | null): string {
  const q = new Decimal(quantity);
  if (unit === 'fraction') return `${q.times(100).toFixed()} %`;
  return `${q.toFixed()}${unit ? ` ${unit}` : ''}`;
}

function direccionOf(party: DteParty): { departamento: string | null; municipio: string | null; complemento: string } {
  return {
    departamento: departmentCode(party.departamento),
    municipio: party.municipio && /^\d{2}$/.test(party.municipio) ? party.municipio : null,
    complemento: [party.direccion, party.municipio && !/^\d+$/.test(party.municipio) ? party.municipio : null]
      .filter(Boolean)
      .join(', '),
  };
}

/** A business customer with an NRC gets a Crédito Fiscal (03); anyone else a Factura (01). */
export function tipoDteOf(receptor: Pick<DteParty, 'nrc'>): '01' | '03' {
  return digits(receptor.nrc) ? '03' : '01';
}

/**
 * The DTE of an issued invoice. Positive lines are items (tipoItem 2, a service; cantidad 1 and the billed quantity in
 * the description, so cantidad × precioUni = ventaGravada exactly); negative lines (discounts, credits) are the
 * document's discount (descuGravada). In a Crédito Fiscal prices exclude IVA and IVA is the tributo "20"; in a Factura
 * prices include IVA (the IVA of each line is ivaItem, and Σ ivaItem = the invoice's VAT).
 */
export function buildDte(input: DteInput): Record<string, unknown> {
  const tipoDte = tipoDteOf(input.receptor);
  const ccf = tipoDte === '03';
  const [fecEmi, horEmi] = localDateTime(input.issuedAt, input.zone);
  const vatRate = new Decimal(input.invoice.vatRate);
  const vat = new Decimal(input.invoice.vat);

  const positive = input.lines.filter((l) => new Decimal(l.amount).greaterThan(0));
  const negative = input.lines.filter((l) => new Decimal(l.amount).isNegative());
  const totalGravadaNet = positive.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
  const descuGravadaNet = negative.reduce((sum, l) => sum.minus(l.amount), new Decimal(0));
  if (!totalGravadaNet.minus(descuGravadaNet).equals(input.invoice.subtotal)) {
    throw new Error(
      `DTE lines (${totalGravadaNet.toFixed(2)} − ${descuGravadaNet.toFixed(2)}) do not add up to the subtotal ${input.invoice.subtotal}`,
    );
  }

  // Factura: amounts include IVA. The discount carries its own IVA (descuVat), so the lines carry VAT + descuVat; each
  // line's IVA is rounded and the last line takes the cents, so Σ ventaGravada − descuGravada = the invoice total.
  const descuVat = ccf ? new Decimal(0) : descuGravadaNet.times(vatRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const lineVat = new Map<number, Decimal>();
  if (!ccf) {
    let assigned = new Decimal(0);
    positive.forEach((l, index) => {
      const share =
        index === positive.length - 1
          ? vat.plus(descuVat).minus(assigned)
          : new Decimal(l.amount).times(vatRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
      assigned = assigned.plus(share);
      lineVat.set(l.lineNo, share);
    });
  }
  const grossOf = (l: DteLineInput) => new Decimal(l.amount).plus(lineVat.get(l.lineNo) ?? 0);

  const cuerpoDocumento = positive.map((l, index) => {
    const ventaGravada = ccf ? new Decimal(l.amount) : grossOf(l);
    const item: Record<string, unknown> = {
      numItem: index + 1,
      tipoItem: 2,
      numeroDocumento: null,
      codigo: l.kind,
      codTributo: null,
      descripcion: l.quantity ? `${l.description} (${formatQuantity(l.quantity, l.unit)})` : l.description,
      cantidad: '1',
      uniMedida: 99,
      precioUni: money(ventaGravada),
      montoDescu: ZERO,
      ventaNoSuj: ZERO,
      ventaExenta: ZERO,
      ventaGravada: money(ventaGravada),
      tributos: ccf ? ['20'] : null,
      psv: ZERO,
      noGravado: ZERO,
    };
    if (!ccf) item.ivaItem = money(lineVat.get(l.lineNo) ?? 0);
    return item;
  });

  const totalGravada = ccf ? totalGravadaNet : positive.reduce((sum, l) => sum.plus(grossOf(l)), new Decimal(0));
  const descuGravada = ccf ? descuGravadaNet : descuGravadaNet.plus(descuVat);
  const subTotal = totalGravada.minus(descuGravada);
  const total = new Decimal(input.invoice.total);
  const credit = input.invoice.paymentTermsDays > 0;
  const currencyWords = input.invoice.currency === 'USD' ? 'DÓLARES' : input.invoice.currency;

  const resumen: Record<string, unknown> = {
    totalNoSuj: ZERO,
    totalExenta: ZERO,
    totalGravada: money(totalGravada),
    subTotalVentas: money(totalGravada),
    descuNoSuj: ZERO,
    descuExenta: ZERO,
    descuGravada: money(descuGravada),
    porcentajeDescuento: totalGravada.isZero() ? ZERO : money(descuGravada.div(totalGravada).times(100)),
    totalDescu: money(descuGravada),
    tributos: ccf
      ? [
          {
            codigo: '20',
            descripcion: `Impuesto al Valor Agregado ${vatRate.times(100).toFixed()}%`,
            valor: money(vat),
          },
        ]
      : null,
    subTotal: money(subTotal),
    ivaRete1: ZERO,
    reteRenta: ZERO,
    montoTotalOperacion: money(ccf ? subTotal.plus(vat) : subTotal),
    totalNoGravado: ZERO,
    totalPagar: money(total),
    totalLetras: amountInSpanishWords(total, currencyWords),
    saldoFavor: ZERO,
    condicionOperacion: credit ? 2 : 1,
    pagos: [
      {
        codigo: '05',
        montoPago: money(total),
        referencia: input.invoice.number,
        plazo: credit ? '01' : null,
        periodo: credit ? input.invoice.paymentTermsDays : null,
      },
    ],
    numPagoElectronico: null,
  };
  if (ccf) resumen.ivaPerci1 = ZERO;
  else resumen.totalIva = money(vat);

  const emisorDir = direccionOf(input.emisor);
  const receptorDir = direccionOf(input.receptor);
  const receptor: Record<string, unknown> = ccf
    ? {
        nit: digits(input.receptor.nit),
        nrc: digits(input.receptor.nrc),
        nombre: input.receptor.nombre,
        codActividad: input.receptor.codActividad ?? null,
        descActividad: input.receptor.descActividad ?? null,
        nombreComercial: input.receptor.nombreComercial ?? null,
        direccion: receptorDir,
        telefono: input.receptor.telefono ?? null,
        correo: input.receptor.correo ?? null,
      }
    : {
        tipoDocumento: digits(input.receptor.nit) ? '36' : null,
        numDocumento: digits(input.receptor.nit),
        nrc: null,
        nombre: input.receptor.nombre,
        codActividad: input.receptor.codActividad ?? null,
        descActividad: input.receptor.descActividad ?? null,
        direccion: receptorDir,
        telefono: input.receptor.telefono ?? null,
        correo: input.receptor.correo ?? null,
      };

  return {
    identificacion: {
      version: ccf ? 3 : 1,
      ambiente: input.ambiente,
      tipoDte,
      numeroControl: numeroControlOf(tipoDte, input.establecimiento, input.sequence),
      codigoGeneracion: input.codigoGeneracion.toUpperCase(),
      tipoModelo: 1,
      tipoOperacion: 1,
      tipoContingencia: null,
      motivoContin: null,
      fecEmi,
      horEmi,
      tipoMoneda: 'USD',
    },
    documentoRelacionado: null,
    emisor: {
      nit: digits(input.emisor.nit),
      nrc: digits(input.emisor.nrc),
      nombre: input.emisor.nombre,
      codActividad: input.emisor.codActividad ?? null,
      descActividad: input.emisor.descActividad ?? null,
      nombreComercial: input.emisor.nombreComercial ?? null,
      tipoEstablecimiento: '01',
      direccion: emisorDir,
      telefono: input.emisor.telefono ?? null,
      correo: input.emisor.correo ?? null,
      codEstableMH: input.emisor.codEstableMH ?? null,
      codEstable: input.establecimiento.slice(0, 4),
      codPuntoVentaMH: input.emisor.codPuntoVentaMH ?? null,
      codPuntoVenta: input.establecimiento.slice(4),
    },
    receptor,
    otrosDocumentos: null,
    ventaTercero: null,
    cuerpoDocumento,
    resumen,
    extension: null,
    apendice: [{ campo: 'numeroFactura', etiqueta: 'Factura', valor: input.invoice.number }],
  };
}
