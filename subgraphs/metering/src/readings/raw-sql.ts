import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Tx } from '@ciro/db';
import { is } from 'drizzle-orm';
import { PostgresJsSession } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';

/**
 * The postgres-js connection of a drizzle transaction, for `COPY … FROM STDIN`: it is the
 * same connection and transaction, so the RLS settings of withTenant apply.
 */
export function rawSqlOf(tx: Tx): postgres.Sql {
  const session = tx._.session;
  if (!is(session, PostgresJsSession)) throw new Error('COPY needs a postgres-js transaction');
  // PostgresJsSession<TSQL> keeps the TransactionSql it was opened on; its type parameter is erased here.
  return session.client;
}

/** COPY text format: tab-separated, `\N` for null; our values never hold tabs, newlines or backslashes. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  if (/[\t\n\r\\]/.test(value)) throw new Error(`COPY field holds a control character: ${JSON.stringify(value)}`);
  return value;
}

/** Streams rows into `COPY <target> FROM STDIN` inside the transaction, in chunks of about 64 KB. */
export async function copyInto(tx: Tx, statement: string, rows: Iterable<readonly (string | null)[]>): Promise<number> {
  const sql = rawSqlOf(tx);
  const writable = await sql.unsafe(statement).writable();
  let count = 0;
  function* chunks(): Generator<string> {
    let buffer = '';
    for (const row of rows) {
      buffer += `${row.map(copyField).join('\t')}\n`;
      count++;
      if (buffer.length >= 65_536) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) yield buffer;
  }
  await pipeline(Readable.from(chunks()), writable);
  return count;
}

/** Streams ready chunks (binary COPY data, say) into `COPY … FROM STDIN` inside the transaction. */
export async function copyChunks(tx: Tx, statement: string, chunks: Iterable<Buffer>): Promise<void> {
  const writable = await rawSqlOf(tx).unsafe(statement).writable();
  await pipeline(Readable.from(chunks), writable);
}
