/** Everything an invoice document prints, already loaded; the renderer does no I/O. Amounts are decimal strings. */
export interface InvoiceDocumentModel {
  locale: 'es' | 'en';
  client: {
    name: string;
    legalName: string;
    nit: string | null;
    nrc: string | null;
    address: string | null;
    timeZone: string;
    currency: string;
    branding: Branding;
  };
  customer: {
    code: string;
    legalName: string;
    nit: string | null;
    nrc: string | null;
    address: string | null;
    contractNumber: string | null;
    contractedKw: string | null;
    voltageLevel: string | null;
  };
  meters: { serial: string; node: string | null; multiplier: string }[];
  invoice: {
    number: string | null;
    kind: 'INVOICE' | 'CREDIT_NOTE';
    period: string;
    issuedAt: Date | null;
    dueDate: string | null;
    subtotal: string;
    vat: string;
    vatRate: string;
    total: string;
  };
  lines: {
    lineNo: number;
    kind: string;
    description: string;
    quantity: string | null;
    unit: string | null;
    rate: string | null;
    rateSplit: { block: string | null; rate: string; quantity: string; from: string; to: string }[];
    amount: string;
  }[];
  /** Maximum demand (kW) of each local day of the period, from the readings; empty when not loaded. */
  dailyDemand: { day: string; maxKw: number }[];
  dataQuality: {
    expectedSlots: number;
    presentSlots: number;
    missingSlots: number;
    missingRanges: { meterSerial: string; from: Date; to: Date }[];
    missingForecastHours: number;
    maxDemandAt: string | null;
  } | null;
}

/** The client's `branding` JSON, as far as documents read it. */
export interface Branding {
  /** A data: URI (SVG or PNG); remote URLs are never fetched. */
  logoDataUri?: string;
  /** What tenancy's Client.branding calls the logo; used when it is a data: URI. */
  logoUrl?: string;
  primaryColor?: string;
  accentColor?: string;
  /** What tenancy's Client.branding calls the accent colour. */
  secondaryColor?: string;
  paymentInstructions?: string;
  /** Bank transfer details printed under the payment instructions; the reference is always the invoice number. */
  paymentAccount?: {
    bank: string;
    accountNumber: string;
    accountType?: string;
    accountName?: string;
  };
}
