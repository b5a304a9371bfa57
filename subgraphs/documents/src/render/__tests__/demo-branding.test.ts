import { describe, expect, it } from 'vitest';
import { EIS_BRANDING, EIS_FISCAL } from '../../../../tenancy/src/seed/eis-branding';
import { renderInvoiceHtml } from '../render-invoice-html';
import { c0001September } from '../sample-invoice';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the demo seed’s EIS Power branding on an invoice', () => {
  const model = c0001September();
  const html = renderInvoiceHtml({
    ...model,
    client: { ...model.client, ...EIS_FISCAL, branding: EIS_BRANDING },
  });

  it('inlines the SVG logo drawn in the seed (tenancy’s logoUrl) and uses its two colours', () => {
    expect(EIS_BRANDING.logoUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(EIS_BRANDING.logoUrl.split(',')[1], 'base64').toString('utf8')).toContain('>Power</text>');
    expect(html).toContain(`<img src="${EIS_BRANDING.logoUrl}"`);
    expect(html).toContain('#0B5394');
    expect(html).toContain('border-left: 3pt solid #F1C232');
  });

  it('prints the payment instructions with bank, holder, account and the invoice number as reference', () => {
    const plain = text(html);
    expect(plain).toContain('Pague por transferencia o depósito a la cuenta indicada');
    expect(plain).toContain('Banco Banco Agrícola, S.A.');
    expect(plain).toContain('Titular EIS Power, S.A. de C.V.');
    expect(plain).toContain('Cuenta 003-512345-6 (Cuenta corriente USD)');
    expect(plain).toContain('Referencia EIS-2025-000001');
    expect(plain).toContain('NIT: 0614-010190-101-5');
  });
});
