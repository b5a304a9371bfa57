import type { Logger } from '../logger';

export interface StartedProcess {
  url: string;
  /** Stops serving and closes every pool the process opened. */
  close(): Promise<void>;
}

/**
 * The process entry every service process (gateway, subgraph, worker) shares: start, log where it
 * listens, stop cleanly on SIGTERM/SIGINT, and die with one clear line when
 * start fails.
 */
export function runServiceProcess(
  name: string,
  prepare: () => { logger: Logger; start: () => Promise<StartedProcess> },
): void {
  let prepared: ReturnType<typeof prepare>;
  try {
    prepared = prepare();
  } catch (error) {
    // Configuration errors: one message a person can act on, no stack trace.
    process.stderr.write(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { logger, start } = prepared;
  start().then(
    (started) => {
      logger.info({ url: started.url }, `${name} ready`);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, `${name} stopping`);
        started.close().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, `${name} did not stop cleanly`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
    (error: unknown) => {
      process.stderr.write(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
