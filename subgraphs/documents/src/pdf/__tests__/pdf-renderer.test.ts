import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PdfRenderer } from '../pdf-renderer';

const renderer = new PdfRenderer({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  timeoutMs: 20_000,
});
afterAll(() => renderer.close());

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
  writeFileSync(join(dir, 'a.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
}

describe('PdfRenderer', () => {
  it('renders HTML to a PDF with page numbers in the footer', async () => {
    const pdf = await renderer.renderPdf('<p>Hola PDF</p>', {
      footerTemplate:
        '<div style="font-size:8pt">Página <span class="pageNumber"></span> de <span class="totalPages"></span></div>',
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Hola PDF');
    expect(text).toContain('Página 1 de 1');
  });

  it('reuses one browser for many jobs, concurrently', async () => {
    const before = renderer.launches;
    await Promise.all([1, 2, 3].map((n) => renderer.renderPdf(`<p>job ${n}</p>`)));
    expect(renderer.launches - before).toBeLessThanOrEqual(1);
  });

  it('renders at most `concurrency` pages at once; the rest wait their turn', async () => {
    const one = new PdfRenderer({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', concurrency: 1 });
    try {
      const pdfs = await Promise.all([1, 2, 3].map((n) => one.renderPdf(`<p>queued ${n}</p>`)));
      expect(pdfs.map((pdf) => pdfText(pdf).trim())).toEqual(['queued 1', 'queued 2', 'queued 3']);
      expect(one.peakRunning).toBe(1);
      expect(one.launches).toBe(1);
    } finally {
      await one.close();
    }
  });

  it('blocks every request the page makes: a remote image never loads', async () => {
    const requests: string[] = [];
    const server = await import('node:http').then(({ createServer }) =>
      createServer((req, res) => {
        requests.push(req.url ?? '');
        res.end('x');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await renderer.renderPdf(
        `<img src="http://127.0.0.1:${port}/pixel.png"><link rel="stylesheet" href="http://127.0.0.1:${port}/a.css"><p>x</p>`,
      );
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('relaunches a browser that died between jobs', async () => {
    await renderer.renderPdf('<p>before</p>');
    const launches = renderer.launches;
    await (await renderer.currentBrowser()).close();
    const pdf = await renderer.renderPdf('<p>after the crash</p>');
    expect(pdfText(pdf)).toContain('after the crash');
    expect(renderer.launches).toBe(launches + 1);
  });
});
