import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_DEV_ACCOUNT = 'devstoreaccount1';
export const AZURITE_DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** Connection string of an Azurite blob service on `host:port`. */
export function azuriteConnectionString(port = 10000, host = '127.0.0.1'): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_DEV_ACCOUNT};AccountKey=${AZURITE_DEV_KEY};` +
    `BlobEndpoint=http://${host}:${port}/${AZURITE_DEV_ACCOUNT};`
  );
}

export interface AzuriteOptions {
  /** Data folder (created when missing). */
  location: string;
  /** 0 picks a free port. Default 10000. */
  port?: number;
  /** Loopback only, unless told otherwise. */
  host?: string;
  /** Where Azurite's own output goes (default: ignored). */
  stdio?: 'ignore' | 'inherit';
  startTimeoutMs?: number;
}

export interface RunningAzurite {
  port: number;
  connectionString: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Flags that keep Azurite offline and tolerant of newer SDK API versions. */
export const AZURITE_FLAGS = ['--disableTelemetry', '--skipApiVersionCheck', '--loose', '--silent'] as const;

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Is something already answering on `host:port` (an Azurite started by someone else)? */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return canConnect(host, port);
}

/**
 * Starts Azurite's blob service (the `azurite` npm package, run with this Node) with
 * telemetry off, bound to loopback, storing its data in `location`.
 */
export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port === 0 ? await freePort(host) : (options.port ?? 10000);
  mkdirSync(options.location, { recursive: true });
  const main = require.resolve('azurite/dist/src/blob/main.js');
  const child = spawn(
    process.execPath,
    [main, '--blobHost', host, '--blobPort', String(port), '--location', options.location, ...AZURITE_FLAGS],
    { stdio: options.stdio ?? 'ignore' },
  );
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
  while (!(await canConnect(host, port))) {
    if (exited !== undefined) throw new Error(`Azurite exited with code ${exited} before listening on ${host}:${port}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`Azurite did not listen on ${host}:${port} in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    port,
    connectionString: azuriteConnectionString(port, host),
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited !== undefined) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
