/** The invoice layout (handlebars). Kept in a .ts module so the build ships it without copying assets. */
export const INVOICE_TEMPLATE = String.raw`<!doctype html>
<html lang="{{locale}}">
<head>
<meta charset="utf-8">
<title>{{title}} {{invoice.number}}</title>
<style>
  @page { size: A4; margin: 14mm 12mm 18mm 12mm; }
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; color: #1f2933; margin: 0; }
  h1 { font-size: 16pt; margin: 0; color: {{primary}}; }
  h2 { font-size: 10.5pt; margin: 10pt 0 4pt; color: {{primary}}; border-bottom: 1.5pt solid {{accent}}; padding-bottom: 2pt; }
  .header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 3pt solid {{primary}}; padding-bottom: 6pt; }
  .brand { display: flex; gap: 10pt; align-items: center; }
  .brand img { max-height: 48pt; max-width: 140pt; }
  .issuer { font-size: 8.5pt; line-height: 1.35; }
  .issuer strong { font-size: 10.5pt; }
  .doc-box { border: 1pt solid {{primary}}; border-radius: 3pt; padding: 6pt 9pt; min-width: 190pt; }
  .doc-box table td { padding: 1pt 4pt 1pt 0; }
  .grid { display: flex; gap: 12pt; }
  .grid > section { flex: 1; }
  table { border-collapse: collapse; width: 100%; }
  .kv td { padding: 1.5pt 6pt 1.5pt 0; vertical-align: top; }
  .kv td:first-child { color: #52606d; white-space: nowrap; }
  .lines th { background: {{primary}}; color: #fff; text-align: left; padding: 4pt; font-weight: 600; }
  .lines td { padding: 4pt; border-bottom: 0.5pt solid #cbd2d9; vertical-align: top; }
  .lines tr, .kv tr, .totals tr { break-inside: avoid; page-break-inside: avoid; }
  .lines thead { display: table-header-group; }
  .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  .note { font-size: 7.5pt; color: #52606d; }
  .totals { width: 46%; margin-left: auto; margin-top: 6pt; }
  .totals td { padding: 3pt 4pt; }
  .totals .grand td { border-top: 1.5pt solid {{primary}}; font-weight: 700; font-size: 11pt; }
  .words { margin-top: 6pt; padding: 5pt 8pt; background: #f5f7fa; border-left: 3pt solid {{accent}}; font-weight: 600; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
  .chart svg { display: block; }
  .draft { color: #b42318; font-weight: 700; }
</style>
</head>
<body>
<div class="header">
  <div class="brand">
    {{#if logo}}<img src="{{logo}}" alt="">{{/if}}
    <div class="issuer">
      <strong>{{client.legalName}}</strong><br>
      {{#if client.address}}{{client.address}}<br>{{/if}}
      {{#if client.nit}}{{t.nit}}: {{client.nit}}{{/if}}{{#if client.nrc}} · {{t.nrc}}: {{client.nrc}}{{/if}}
    </div>
  </div>
  <div class="doc-box">
    <h1>{{title}}</h1>
    <table>
      <tr><td>{{t.number}}</td><td><strong>{{#if invoice.number}}{{invoice.number}}{{else}}<span class="draft">{{t.draft}}</span>{{/if}}</strong></td></tr>
      <tr><td>{{t.issueDate}}</td><td>{{issueDate}}</td></tr>
      <tr><td>{{t.dueDate}}</td><td>{{dueDate}}</td></tr>
      <tr><td>{{t.period}}</td><td>{{periodLabel}}</td></tr>
    </table>
  </div>
</div>

<div class="grid">
  <section>
    <h2>{{t.customer}}</h2>
    <table class="kv">
      <tr><td>{{t.customer}}</td><td><strong>{{customer.legalName}}</strong></td></tr>
      <tr><td>{{t.code}}</td><td>{{customer.code}}</td></tr>
      {{#if customer.nit}}<tr><td>{{t.nit}}</td><td>{{customer.nit}}</td></tr>{{/if}}
      {{#if customer.nrc}}<tr><td>{{t.nrc}}</td><td>{{customer.nrc}}</td></tr>{{/if}}
      {{#if customer.address}}<tr><td>{{t.address}}</td><td>{{customer.address}}</td></tr>{{/if}}
    </table>
  </section>
  <section>
    <h2>{{t.contract}}</h2>
    <table class="kv">
      {{#if customer.contractNumber}}<tr><td>{{t.contract}}</td><td>{{customer.contractNumber}}</td></tr>{{/if}}
      {{#if customer.contractedKw}}<tr><td>{{t.contractedKw}}</td><td>{{customer.contractedKw}} kW</td></tr>{{/if}}
      {{#if customer.voltageLevel}}<tr><td>{{t.voltage}}</td><td>{{customer.voltageLevel}}</td></tr>{{/if}}
      {{#each meters}}<tr><td>{{../t.meter}}</td><td>{{serial}}{{#if node}} · {{../t.node}} {{node}}{{/if}}{{#if showMultiplier}} · ×{{multiplier}}{{/if}}</td></tr>{{/each}}
    </table>
  </section>
</div>

<h2>{{t.charges}}</h2>
<table class="lines">
  <thead><tr><th>#</th><th>{{t.concept}}</th><th class="num">{{t.quantity}}</th><th>{{t.unit}}</th><th class="num">{{t.rate}}</th><th class="num">{{t.amount}} ({{client.currency}})</th></tr></thead>
  <tbody>
  {{#each lines}}
    <tr>
      <td>{{lineNo}}</td>
      <td>{{name}}{{#if split}}<div class="note">{{../t.ratesApplied}}: {{#each split}}{{#if block}}{{block}} {{/if}}{{quantity}} × {{rate}} ({{../../t.from}} {{from}} {{../../t.to}} {{to}}){{#unless @last}}; {{/unless}}{{/each}}</div>{{/if}}</td>
      <td class="num">{{quantity}}</td>
      <td>{{unit}}</td>
      <td class="num">{{rate}}</td>
      <td class="num">{{amount}}</td>
    </tr>
  {{/each}}
  </tbody>
</table>

<div class="keep">
<table class="totals">
  <tr><td>{{t.subtotal}}</td><td class="num">{{subtotal}}</td></tr>
  <tr><td>{{t.vat}} {{vatPercent}} %</td><td class="num">{{vat}}</td></tr>
  <tr class="grand"><td>{{t.total}} {{client.currency}}</td><td class="num">{{total}}</td></tr>
</table>
<div class="words">{{t.totalInWords}}: {{totalInWords}}</div>
</div>

{{#if chartSvg}}
<div class="keep chart">
  <h2>{{t.consumptionByBlock}}</h2>
  {{{chartSvg}}}
</div>
{{/if}}

{{#if demandSvg}}
<div class="keep chart">
  <h2>{{t.dailyDemand}}</h2>
  {{{demandSvg}}}
</div>
{{/if}}

{{#if dataQuality}}
<div class="keep">
  <h2>{{t.dataQuality}}</h2>
  <table class="kv">
    <tr><td>{{t.expectedSlots}}</td><td>{{dataQuality.expectedSlots}}</td></tr>
    <tr><td>{{t.presentSlots}}</td><td>{{dataQuality.presentSlots}}</td></tr>
    <tr><td>{{t.missingSlots}}</td><td>{{dataQuality.missingSlots}}{{#each missingRanges}}<div class="note">{{meterSerial}}: {{from}} – {{to}}</div>{{/each}}</td></tr>
    <tr><td>{{t.missingForecastHours}}</td><td>{{dataQuality.missingForecastHours}}</td></tr>
    <tr><td>{{t.estimatedValues}}</td><td>{{t.none}}</td></tr>
    {{#if dataQuality.maxDemandAt}}<tr><td>{{t.maxDemandAt}}</td><td>{{maxDemandAt}}</td></tr>{{/if}}
  </table>
</div>
{{/if}}

<div class="keep">
  <h2>{{t.paymentInstructions}}</h2>
  <p>{{paymentInstructions}}</p>
  {{#if paymentAccount}}
  <table class="kv">
    <tr><td>{{t.bank}}</td><td>{{paymentAccount.bank}}</td></tr>
    {{#if paymentAccount.accountName}}<tr><td>{{t.accountName}}</td><td>{{paymentAccount.accountName}}</td></tr>{{/if}}
    <tr><td>{{t.account}}</td><td>{{paymentAccount.accountNumber}}{{#if paymentAccount.accountType}} ({{paymentAccount.accountType}}){{/if}}</td></tr>
    <tr><td>{{t.reference}}</td><td><strong>{{#if invoice.number}}{{invoice.number}}{{else}}{{t.draft}}{{/if}}</strong></td></tr>
  </table>
  {{/if}}
</div>
</body>
</html>`;
