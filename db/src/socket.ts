import net from 'node:net';
import type postgres from 'postgres';

/** The parts of postgres-js's parsed options a socket factory needs (it passes them all). */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

/**
 * A `socket` factory for postgres-js that turns Nagle's algorithm off (TCP_NODELAY), which
 * postgres-js leaves on. With it on, the first statement after a COPY … FROM STDIN waited for
 * the server's delayed ACK: 40+ ms per COPY, twice in every upload commit. The server sets
 * TCP_NODELAY on its side already; this is the client's half.
 *
 * The socket is returned while still connecting: Node queues what postgres-js writes until it is
 * connected, and postgres-js's connect timeout and error handling apply as with its own socket.
 * Connects to a Unix socket `path` when given, else to the first host (we configure one).
 */
export function noDelaySocket(options: SocketTarget): net.Socket {
  if (options.path) return net.connect({ path: options.path });
  return net.connect({ host: options.host[0] ?? '127.0.0.1', port: options.port[0] ?? 5432, noDelay: true });
}

declare module 'postgres' {
  // postgres-js supports a `socket` factory (it calls it with its parsed options) but its types omit it.
  // A merged declaration must repeat the type parameter, used or not.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface Options<T extends Record<string, postgres.PostgresType>> {
    socket?: (options: SocketTarget) => net.Socket | Promise<net.Socket>;
  }
}
