import { execFileSync } from 'node:child_process';
import { PdfRenderer } from '../pdf/pdf-renderer';
import { invoiceFooterTemplate, renderInvoiceHtml } from '../render/render-invoice-html';
import { c0001September } from '../render/sample-invoice';

/**
 * PDF throughput: renders the C-0001 sample invoice INVOICES times (default 200) through one Chromium with
 * PDF_CONCURRENCY pages at a time (default 2, one per core here): template + chart + Chromium print, no storage.
 * Prints invoices/minute and peak RSS of the worker (node + its Chromium processes), first vs last fifth.
 */
const total = Number(process.env.INVOICES ?? 200);
const concurrency = Number(process.env.PDF_CONCURRENCY ?? 2);

/** RSS in MB of this process and every descendant (Chromium's browser, renderer, GPU/utility processes). */
function treeRssMb(): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number, number]);
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kb]) => [pid, kb]));
  let sum = 0;
  const stack = [process.pid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    sum += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum / 1024;
}

async function main(): Promise<void> {
  const renderer = new PdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', concurrency });
  await renderer.renderPdf('<p>warm-up</p>');
  const samples: number[] = [];
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const n = ++next;
      const model = c0001September();
      model.invoice.number = `EIS-2025-${String(n).padStart(6, '0')}`;
      const pdf = await renderer.renderPdf(renderInvoiceHtml(model), { footerTemplate: invoiceFooterTemplate(model) });
      bytes += pdf.length;
      if (n % 10 === 0) samples.push(treeRssMb());
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await renderer.close();
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const print = (name: string, value: number, unit: string) =>
    process.stdout.write(`${JSON.stringify({ name, value: Number(value.toFixed(1)), unit })}\n`);
  print(`pdf.throughput (${total} invoices, concurrency ${concurrency})`, (total / seconds) * 60, 'invoices/min');
  print('pdf.seconds', seconds, 's');
  print('pdf.avg_size', bytes / total / 1024, 'KiB');
  print('pdf.worker_peak_rss (node + chromium)', Math.max(...samples), 'MB');
  print('pdf.worker_rss_first_fifth', avg(samples.slice(0, fifth)), 'MB');
  print('pdf.worker_rss_last_fifth', avg(samples.slice(-fifth)), 'MB');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
