import type { InvoiceDocumentModel } from './model';

/** C-0001's September 2025 invoice (BILLING.md §7) as the renderer receives it. */
export function c0001September(overrides: Partial<InvoiceDocumentModel> = {}): InvoiceDocumentModel {
  return {
    locale: 'es',
    client: {
      name: 'EIS Power',
      legalName: 'EIS Power, S.A. de C.V.',
      nit: '0614-010101-101-1',
      nrc: '123456-7',
      address: 'San Salvador, El Salvador',
      timeZone: 'America/El_Salvador',
      currency: 'USD',
      branding: { primaryColor: '#123456', accentColor: '#abcdef' },
    },
    customer: {
      code: 'C-0001',
      legalName: 'Industrias Ateos, S.A. de C.V.',
      nit: '0614-250590-102-3',
      nrc: '765432-1',
      address: 'Km 28 Carretera a Sonsonate',
      contractNumber: 'CT-2025-001',
      contractedKw: '1500',
      voltageLevel: 'MT',
    },
    meters: [{ serial: '5614086', node: 'Nodo Ateos', multiplier: '1' }],
    invoice: {
      number: 'EIS-2025-000001',
      kind: 'INVOICE',
      period: '2025-09',
      issuedAt: new Date('2025-10-03T15:00:00Z'),
      dueDate: '2025-11-02',
      subtotal: '147575.99',
      vat: '19184.88',
      vatRate: '0.13',
      total: '166760.87',
    },
    lines: [
      line(1, 'ENERGY_VALLE', 'Energía bloque VALLE', '167851.1638', 'kWh', '0.158412', '26589.64'),
      line(2, 'ENERGY_RESTO', 'Energía bloque RESTO', '421396.5075', 'kWh', '0.171236', '72158.67'),
      line(3, 'ENERGY_PUNTA', 'Energía bloque PUNTA', '144164.0671', 'kWh', '0.189654', '27341.29'),
      line(4, 'DEMAND', 'Demanda máxima', '1404.6864', 'kW', '9.875000', '13871.28'),
      {
        ...line(5, 'LOSSES', 'Pérdidas (2.35 %)', '17235.1758524', 'kWh', null, '2963.11'),
        rateSplit: [
          { block: 'VALLE', rate: '0.158412', quantity: '3944.5', from: '2025-09-01', to: '2025-09-30' },
          { block: 'RESTO', rate: '0.171236', quantity: '9902.8', from: '2025-09-01', to: '2025-09-30' },
        ],
      },
      line(6, 'FTPMS', 'Cargo FTPMS', '733411.7384', 'kWh', '0.004210', '3087.66'),
      line(7, 'DEVIATION', 'Cargo por desvío (tolerancia 10 %)', '10831.8648', 'kWh', '0.144420', '1564.34'),
    ],
    dailyDemand: Array.from({ length: 30 }, (_, i) => ({
      day: `2025-09-${String(i + 1).padStart(2, '0')}`,
      maxKw: i === 7 ? 1404.6864 : 1100 + ((i * 37) % 200),
    })),
    dataQuality: {
      expectedSlots: 2880,
      presentSlots: 2880,
      missingSlots: 0,
      missingRanges: [],
      missingForecastHours: 0,
      maxDemandAt: '2025-09-08T08:30:00',
    },
    ...overrides,
  };
}

function line(
  lineNo: number,
  kind: string,
  description: string,
  quantity: string,
  unit: string,
  rate: string | null,
  amount: string,
): InvoiceDocumentModel['lines'][number] {
  return { lineNo, kind, description, quantity, unit, rate, rateSplit: [], amount };
}
