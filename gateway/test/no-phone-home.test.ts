import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectData, gql, startStack } from './kit';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/** Host (or unix socket) of a Socket#connect call, in any of its argument forms. */
function destinationOf(args: unknown[]): string {
  // net.connect() passes its normalized arguments as one array.
  const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof second === 'string' ? second : 'localhost';
  }
  if (typeof first === 'string') return `unix:${first}`;
  if (first && typeof first === 'object') {
    const options = first as { host?: string; path?: string };
    return options.path ? `unix:${options.path}` : (options.host ?? 'localhost');
  }
  return String(first);
}

/** Every TCP destination the process tries to reach (postgres, subgraphs, and anything Apollo would add). */
function recordConnections(): string[] {
  const destinations: string[] = [];
  // Called below with the socket as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = net.Socket.prototype.connect;
  vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    destinations.push(destinationOf(args));
    // Same arguments, same socket: only observed.
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  });
  return destinations;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the gateway calls nothing outside this machine', () => {
  it('opens only loopback connections while starting, serving and stopping', async () => {
    const destinations = recordConnections();
    const stack = await startStack({ production: true });
    try {
      expectData(await gql(stack, { query: '{ __typename }' }));
      await gql(stack, {
        query:
          'mutation { login(input: { email: "nobody@test.ciro.example", password: "not-the-password" }) { accessToken } }',
      });
    } finally {
      await stack.stop();
    }
    // Apollo's telemetry would be exported on shutdown and its cloud detectors run at construction.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(destinations.length).toBeGreaterThan(0);
    expect(destinations.filter((host) => !LOOPBACK.has(host) && !host.startsWith('unix:'))).toEqual([]);
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
  });
});
