import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { azuriteConnectionString } from './invoice-blob-store';

export interface RunningAzurite {
  port: number;
  connectionString: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts Azurite's blob service on loopback (no telemetry, any API version) with its data under `location`.
 * For tests and the start script; `azuriteBin` is the package's `azurite-blob` script.
 */
export async function startAzurite(options: {
  location: string;
  port?: number;
  azuriteBin?: string;
}): Promise<RunningAzurite> {
  const port = options.port ?? (await freePort());
  const bin =
    options.azuriteBin ?? join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'blob', 'main.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--location',
      options.location,
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ],
    { stdio: 'ignore' },
  );
  const started = Date.now();
  while (!(await listening(port))) {
    if (child.exitCode !== null) throw new Error(`azurite exited with ${child.exitCode}`);
    if (Date.now() - started > 20_000) {
      child.kill();
      throw new Error('azurite did not start within 20 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    connectionString: azuriteConnectionString(port),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
