import { chromium, type Browser } from 'playwright-core';

export interface PdfRendererOptions {
  /** Debian's Chromium by default (env CHROMIUM_PATH). */
  executablePath?: string;
  /** Per job: page creation, content, PDF. */
  timeoutMs?: number;
  /** Pages rendering at once; further jobs wait their turn (default 2, one per core of the reference machine). */
  concurrency?: number;
}

export interface PdfOptions {
  /** Chromium footer template (`pageNumber` / `totalPages` spans). */
  footerTemplate?: string;
}

/** Flags for a locked-down server: no sandbox (root in a container), no GPU, nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * One Chromium per process, reused across jobs; a page (in its own context) per job. A browser that crashed or was
 * closed is relaunched on the next job. The page may load nothing but its own inline content.
 */
export class PdfRenderer {
  private browser: Promise<Browser> | null = null;
  private readonly executablePath: string;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private running = 0;
  /** Most jobs ever rendering at once (tests and diagnostics). */
  peakRunning = 0;
  private readonly waiting: (() => void)[] = [];
  /** How many times a browser was launched (1 unless one crashed). */
  launches = 0;

  constructor(options: PdfRendererOptions = {}) {
    this.executablePath = options.executablePath ?? DEFAULT_CHROMIUM_PATH;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
  }

  private browserOrLaunch(): Promise<Browser> {
    if (!this.browser) {
      this.launches += 1;
      const launching = chromium.launch({
        executablePath: this.executablePath,
        args: CHROMIUM_ARGS,
        headless: true,
      });
      this.browser = launching;
      launching.then(
        (browser) => browser.on('disconnected', () => this.forget(launching)),
        () => this.forget(launching),
      );
    }
    return this.browser;
  }

  private forget(browser: Promise<Browser>): void {
    if (this.browser === browser) this.browser = null;
  }

  /** The current browser (launching one if needed); tests close it behind the renderer's back to simulate a crash. */
  currentBrowser(): Promise<Browser> {
    return this.browserOrLaunch();
  }

  /** How many PDFs render at once (PDF_CONCURRENCY). */
  get concurrencyLimit(): number {
    return this.concurrency;
  }

  /** Renders one HTML document to PDF; at most `concurrency` at a time. */
  async renderPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
    // A finishing job hands its slot straight to the next waiter, so a newcomer can never overtake it.
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    this.peakRunning = Math.max(this.peakRunning, this.running);
    try {
      return await this.renderOne(html, options);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private async renderOne(html: string, options: PdfOptions): Promise<Buffer> {
    const browser = await this.browserOrLaunch();
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const timer = setTimeout(() => void context.close().catch(() => undefined), this.timeoutMs);
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(this.timeoutMs);
      // Only the document itself (set with setContent, which fetches nothing) and inline data: URIs pass.
      await page.route('**/*', (route) => {
        const url = route.request().url();
        return url.startsWith('data:') ? route.continue() : route.abort('blockedbyclient');
      });
      await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: options.footerTemplate !== undefined,
        headerTemplate: '<span></span>',
        footerTemplate: options.footerTemplate ?? '<span></span>',
      });
      return pdf;
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => undefined);
    }
  }

  /** Kills the browser (tests simulate a crash with it); the next job relaunches. */
  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }
}
