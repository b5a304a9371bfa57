/**
 * EIS Power's demo branding, so demo PDFs look finished: a logo drawn here (an SVG, inline as a data: URI; nothing is
 * downloaded), colours, payment instructions with a bank account (the reference printed is the invoice number) and the
 * issuer's DTE settings (activity, establishment, contact) that billing reads when it builds the DTE JSON.
 */
const EIS_LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="72" viewBox="0 0 240 72">
<rect x="2" y="6" width="60" height="60" rx="14" fill="#0B5394"/>
<path d="M36 13 L20 41 H31 L26 59 L45 29 H34 Z" fill="#F1C232"/>
<text x="74" y="40" font-family="Helvetica, Arial, sans-serif" font-size="30" font-weight="700" fill="#0B5394">EIS</text>
<text x="136" y="40" font-family="Helvetica, Arial, sans-serif" font-size="30" font-weight="300" fill="#3D4F5C">Power</text>
<rect x="74" y="50" width="150" height="3" rx="1.5" fill="#F1C232"/>
<text x="74" y="66" font-family="Helvetica, Arial, sans-serif" font-size="10" letter-spacing="1.5" fill="#3D4F5C">ENERGÍA PARA LA INDUSTRIA</text>
</svg>`;

export const EIS_LOGO_DATA_URI = `data:image/svg+xml;base64,${Buffer.from(EIS_LOGO_SVG, 'utf8').toString('base64')}`;

export const EIS_FISCAL = {
  nit: '0614-010190-101-5',
  nrc: '245871-3',
  address: 'Blvd. del Hipódromo 123, Colonia San Benito, San Salvador',
};

export const EIS_BRANDING = {
  // Tenancy's Client.branding (admin console) and the PDF template both read these.
  logoUrl: EIS_LOGO_DATA_URI,
  primaryColor: '#0B5394',
  secondaryColor: '#F1C232',
  paymentInstructions:
    'Pague por transferencia o depósito a la cuenta indicada antes de la fecha de vencimiento, con el número de factura como referencia. Consultas: cobros@eispower.example · 2250-7000.',
  paymentAccount: {
    bank: 'Banco Agrícola, S.A.',
    accountName: 'EIS Power, S.A. de C.V.',
    accountNumber: '003-512345-6',
    accountType: 'Cuenta corriente USD',
  },
  dte: {
    codActividad: '35102',
    descActividad: 'Distribución de energía eléctrica',
    nombreComercial: 'EIS Power',
    telefono: '2250-7000',
    correo: 'facturacion@eispower.example',
    departamento: '06',
    establecimiento: 'M001P001',
  },
};
