import { describe, expect, it } from 'vitest';
import { buildConsumptionByBlockOption, consumptionByBlock } from '../consumption-chart';
import { formatMoney, formatQuantity, invoiceFooterTemplate, renderInvoiceHtml } from '../render-invoice-html';
import { c0001September } from '../sample-invoice';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('renderInvoiceHtml', () => {
  it('prints number, dates, parties, meter and node, every line amount and the totals', () => {
    const html = renderInvoiceHtml(c0001September());
    const plain = text(html);
    for (const expected of [
      'Factura',
      'EIS-2025-000001',
      'Fecha de emisión 03/10/2025',
      'Fecha de vencimiento 02/11/2025',
      'Septiembre de 2025',
      'EIS Power, S.A. de C.V.',
      'NIT: 0614-010101-101-1',
      'Industrias Ateos, S.A. de C.V.',
      '0614-250590-102-3',
      'CT-2025-001',
      '5614086 · Nodo Nodo Ateos',
      '26,589.64',
      '72,158.67',
      '27,341.29',
      '13,871.28',
      '2,963.11',
      '3,087.66',
      '1,564.34',
      'Subtotal 147,575.99',
      'IVA 13 % 19,184.88',
      'Total USD 166,760.87',
      'CIENTO SESENTA Y SEIS MIL SETECIENTOS SESENTA 87/100 DÓLARES',
      '1,404.6864',
      '9.875000',
      'Intervalos de 15 min esperados 2880',
      'Horas sin pronóstico 0',
      'Valores estimados ninguno',
      'Instrucciones de pago',
      'Demanda máxima diaria (kW)',
    ]) {
      expect(plain, expected).toContain(expected);
    }
  });

  it('writes "variable" with the split in a note when a line was billed at several rates', () => {
    const plain = text(renderInvoiceHtml(c0001September()));
    expect(plain).toMatch(
      /Pérdidas \(2\.35 %\) Tarifas aplicadas: VALLE 3,944\.5 × 0\.158412 .* 17,235\.1759 kWh variable 2,963\.11/,
    );
  });

  it('uses the client colours, inlines the chart as SVG and embeds no external resource', () => {
    const html = renderInvoiceHtml(c0001September());
    expect(html).toContain('#123456');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('@page { size: A4');
  });

  it('keeps a remote logo and a CSS-injecting colour out of the page', () => {
    const model = c0001September();
    model.client.branding = { logoDataUri: 'https://tracker.example/logo.png', primaryColor: 'red;}body{display:none' };
    const html = renderInvoiceHtml(model);
    expect(html).not.toContain('tracker.example');
    expect(html).not.toContain('display:none');
    expect(html).toContain('#0b4f6c');
  });

  it('inlines a data: logo', () => {
    const model = c0001September();
    model.client.branding = { logoDataUri: 'data:image/png;base64,iVBORw0KGgo=' };
    expect(renderInvoiceHtml(model)).toContain('<img src="data:image/png;base64,iVBORw0KGgo');
  });

  it('escapes customer data', () => {
    const model = c0001September();
    model.customer.legalName = '<script>alert(1)</script>';
    expect(renderInvoiceHtml(model)).not.toContain('<script>alert(1)');
  });

  it('speaks English for a customer whose locale is en, keeping the amount in Spanish words', () => {
    const plain = text(renderInvoiceHtml(c0001September({ locale: 'en' })));
    expect(plain).toContain('Invoice');
    expect(plain).toContain('Due date 2025-11-02');
    expect(plain).toContain('September 2025');
    expect(plain).toContain('Energy, PUNTA block (peak)');
    expect(plain).toContain('VAT (IVA) 13 % 19,184.88');
    expect(plain).toContain('CIENTO SESENTA Y SEIS MIL SETECIENTOS SESENTA 87/100 DÓLARES');
  });

  it('marks a draft and a credit note', () => {
    const model = c0001September();
    model.invoice = { ...model.invoice, number: null, kind: 'CREDIT_NOTE', total: '-16.22' };
    const plain = text(renderInvoiceHtml(model));
    expect(plain).toContain('Nota de crédito');
    expect(plain).toContain('BORRADOR');
    expect(plain).toContain('MENOS DIECISÉIS 22/100 DÓLARES');
  });

  it('lists missing slot ranges with the meter serial in the client zone', () => {
    const model = c0001September();
    model.dataQuality = {
      ...model.dataQuality!,
      presentSlots: 2876,
      missingSlots: 4,
      missingRanges: [
        { meterSerial: '5614086', from: new Date('2025-09-10T06:00:00Z'), to: new Date('2025-09-10T07:00:00Z') },
      ],
    };
    const plain = text(renderInvoiceHtml(model));
    expect(plain).toContain('Intervalos faltantes 4');
    expect(plain).toContain('5614086: 10/9/25, 00:00');
  });

  it('puts page numbers in the footer', () => {
    const footer = invoiceFooterTemplate(c0001September());
    expect(footer).toContain('class="pageNumber"');
    expect(footer).toContain('class="totalPages"');
    expect(footer).toContain('EIS-2025-000001');
  });
});

describe('formatting and chart option', () => {
  it('groups money and quantities exactly', () => {
    expect(formatMoney('166760.87')).toBe('166,760.87');
    expect(formatMoney('-1234.5')).toBe('-1,234.50');
    expect(formatMoney('0.005')).toBe('0.01');
    expect(formatQuantity('17235.17585240')).toBe('17,235.1759');
    expect(formatQuantity('1000')).toBe('1,000');
  });

  it('orders blocks VALLE, RESTO, PUNTA and feeds their kWh to the bars', () => {
    const blocks = consumptionByBlock(c0001September().lines.slice().reverse());
    expect(blocks.map((b) => b.block)).toEqual(['VALLE', 'RESTO', 'PUNTA']);
    const option = buildConsumptionByBlockOption(blocks, '#000000', 'es');
    expect(option.series[0].data).toEqual([167851.1638, 421396.5075, 144164.0671]);
  });
});
