import Decimal from 'decimal.js';
import Handlebars from 'handlebars';
import { amountInSpanishWords } from './amount-in-words';
import { consumptionByBlock, renderConsumptionChartSvg, renderDailyDemandSvg } from './consumption-chart';
import { LINE_NAMES_EN, STRINGS } from './i18n';
import { INVOICE_TEMPLATE } from './invoice.hbs';
import type { Branding, InvoiceDocumentModel } from './model';

const template = Handlebars.compile(INVOICE_TEMPLATE, { strict: false });

const DEFAULT_PRIMARY = '#0b4f6c';
const DEFAULT_ACCENT = '#f5a623';
const COLOR = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i;
// Only inline images: the PDF renderer blocks every request, and a remote logo would be a tracking pixel.
const LOGO = /^data:image\/(png|jpeg|svg\+xml);base64,[a-z0-9+/=]+$/i;

/** `1234567.8` → `1,234,567.80` (the grouping Salvadoran invoices print), exact, no float. */
export function formatMoney(value: Decimal.Value): string {
  return group(new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
}

/** A quantity with at most `maxDecimals` decimals, trailing zeros dropped, grouped. */
export function formatQuantity(value: Decimal.Value, maxDecimals = 4): string {
  const fixed = new Decimal(value).toDecimalPlaces(maxDecimals, Decimal.ROUND_HALF_UP).toFixed();
  return group(fixed);
}

function group(fixed: string): string {
  const negative = fixed.startsWith('-');
  const [whole, fraction] = (negative ? fixed.slice(1) : fixed).split('.') as [string, string | undefined];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

function brandColors(branding: Branding): { primary: string; accent: string } {
  // The admin console edits `secondaryColor` (tenancy's Client.branding); older records have `accentColor`.
  const accent = branding.accentColor ?? branding.secondaryColor;
  return {
    primary: branding.primaryColor && COLOR.test(branding.primaryColor) ? branding.primaryColor : DEFAULT_PRIMARY,
    accent: accent && COLOR.test(accent) ? accent : DEFAULT_ACCENT,
  };
}

/** The inline logo: `logoDataUri`, or tenancy's `logoUrl` when it is a data: URI (https logos are never fetched). */
function logoOf(branding: Branding): string | null {
  const logo = branding.logoDataUri ?? branding.logoUrl;
  return logo && LOGO.test(logo) ? logo : null;
}

function intlLocale(locale: 'es' | 'en'): string {
  return locale === 'en' ? 'en-US' : 'es-SV';
}

function formatLocalDate(date: string | null, locale: 'es' | 'en'): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-');
  return locale === 'en' ? `${y}-${m}-${d}` : `${d}/${m}/${y}`;
}

function formatInstant(instant: Date | null, zone: string, locale: 'es' | 'en'): string {
  if (!instant) return '—';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ({ ...acc, [p.type]: p.value }), {});
  return formatLocalDate(`${parts.year}-${parts.month}-${parts.day}`, locale);
}

function formatDateTime(instant: Date, zone: string, locale: 'es' | 'en'): string {
  return new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: zone,
    dateStyle: 'short',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(instant);
}

function periodLabel(period: string, locale: 'es' | 'en'): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const label = new Intl.DateTimeFormat(intlLocale(locale), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 15)),
  );
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The invoice as a self-contained HTML page (inline CSS, inline SVG chart, inline logo). Pure. */
export function renderInvoiceHtml(model: InvoiceDocumentModel): string {
  const locale = model.locale === 'en' ? 'en' : 'es';
  const t = STRINGS[locale];
  const { primary, accent } = brandColors(model.client.branding);
  const blocks = consumptionByBlock(model.lines);
  const dq = model.dataQuality;
  return template({
    locale,
    t,
    primary,
    accent,
    logo: logoOf(model.client.branding),
    title: model.invoice.kind === 'CREDIT_NOTE' ? t.creditNote : t.invoice,
    client: model.client,
    customer: {
      ...model.customer,
      contractedKw: model.customer.contractedKw === null ? null : formatQuantity(model.customer.contractedKw, 3),
    },
    meters: model.meters.map((m) => ({ ...m, showMultiplier: !new Decimal(m.multiplier).eq(1) })),
    invoice: model.invoice,
    issueDate: formatInstant(model.invoice.issuedAt, model.client.timeZone, locale),
    dueDate: formatLocalDate(model.invoice.dueDate, locale),
    periodLabel: periodLabel(model.invoice.period, locale),
    lines: model.lines.map((line) => ({
      lineNo: line.lineNo,
      name: locale === 'en' ? (LINE_NAMES_EN[line.kind] ?? line.description) : line.description,
      quantity: line.quantity === null ? '' : formatQuantity(line.quantity),
      unit: line.unit ?? '',
      rate: line.rate !== null ? new Decimal(line.rate).toFixed(6) : line.rateSplit.length > 0 ? t.variable : '',
      split:
        line.rate === null && line.rateSplit.length > 0
          ? line.rateSplit.map((part) => ({
              block: part.block,
              quantity: formatQuantity(part.quantity, 2),
              rate: new Decimal(part.rate).toFixed(6),
              from: formatLocalDate(part.from, locale),
              to: formatLocalDate(part.to, locale),
            }))
          : null,
      amount: formatMoney(line.amount),
    })),
    subtotal: formatMoney(model.invoice.subtotal),
    vat: formatMoney(model.invoice.vat),
    vatPercent: new Decimal(model.invoice.vatRate).times(100).toFixed(),
    total: formatMoney(model.invoice.total),
    totalInWords: amountInSpanishWords(
      model.invoice.total,
      model.client.currency === 'USD' ? 'DÓLARES' : model.client.currency,
    ),
    chartSvg: blocks.length > 0 ? renderConsumptionChartSvg(blocks, primary, locale) : null,
    demandSvg: model.dailyDemand.length > 0 ? renderDailyDemandSvg(model.dailyDemand, primary, locale) : null,
    dataQuality: dq,
    missingRanges: (dq?.missingRanges ?? []).map((r) => ({
      meterSerial: r.meterSerial,
      from: formatDateTime(r.from, model.client.timeZone, locale),
      to: formatDateTime(r.to, model.client.timeZone, locale),
    })),
    maxDemandAt: dq?.maxDemandAt ? dq.maxDemandAt.replace('T', ' ').slice(0, 16) : null,
    paymentInstructions: model.client.branding.paymentInstructions ?? t.defaultPayment,
    paymentAccount:
      model.client.branding.paymentAccount?.bank && model.client.branding.paymentAccount.accountNumber
        ? model.client.branding.paymentAccount
        : null,
  });
}

/** Chromium's footer (page numbers); its own tiny document, styled inline. */
export function invoiceFooterTemplate(model: InvoiceDocumentModel): string {
  const t = STRINGS[model.locale === 'en' ? 'en' : 'es'];
  const label = Handlebars.escapeExpression(`${model.client.legalName} · ${model.invoice.number ?? t.draft}`);
  return (
    `<div style="font-size:7pt;color:#52606d;width:100%;padding:0 12mm;display:flex;justify-content:space-between">` +
    `<span>${label}</span><span>${t.page} <span class="pageNumber"></span> ${t.of} <span class="totalPages"></span></span></div>`
  );
}
