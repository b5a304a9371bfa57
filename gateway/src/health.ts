import type { Database } from '@ciro/db';

export const READINESS_TIMEOUT_MS = 2000;

export interface ReadinessReport {
  ready: boolean;
  /** `ok` or `unavailable` per dependency (safe to show to anyone). */
  checks: Record<string, 'ok' | 'unavailable'>;
  failed: string[];
  /** Why each failed dependency is unavailable: for the log, not for the response. */
  reasons: Record<string, string>;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${READINESS_TIMEOUT_MS} ms`)),
      READINESS_TIMEOUT_MS,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function checkDatabase(database: Database): Promise<void> {
  await withTimeout(Promise.resolve(database.sql`select 1`), 'database');
}

/** A subgraph is ready for the gateway when its `/healthz` (beside `/graphql`) answers 2xx. */
async function checkSubgraph(graphqlUrl: string): Promise<void> {
  const response = await fetch(new URL('/healthz', graphqlUrl), { signal: AbortSignal.timeout(READINESS_TIMEOUT_MS) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`/healthz answered ${response.status}`);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

/** `/readyz`: the database answers and every subgraph's `/healthz` answers. */
export async function checkReadiness(
  database: Database,
  subgraphUrls: Record<string, string>,
): Promise<ReadinessReport> {
  const probes: [string, () => Promise<void>][] = [
    ['database', () => checkDatabase(database)],
    ...Object.entries(subgraphUrls).map(([name, url]): [string, () => Promise<void>] => [
      name,
      () => checkSubgraph(url),
    ]),
  ];
  const results = await Promise.all(
    probes.map(async ([name, probe]) => {
      try {
        await probe();
        return { name, reason: null };
      } catch (error) {
        return { name, reason: describeError(error) };
      }
    }),
  );
  const checks: Record<string, 'ok' | 'unavailable'> = {};
  const reasons: Record<string, string> = {};
  for (const { name, reason } of results) {
    checks[name] = reason === null ? 'ok' : 'unavailable';
    if (reason !== null) reasons[name] = reason;
  }
  const failed = Object.keys(reasons);
  return { ready: failed.length === 0, checks, failed, reasons };
}
