import { Redis } from 'ioredis';

/** A stream of the raw messages published on one Redis channel, ended by `return()`. */
export type ChannelMessages = AsyncIterableIterator<string>;

export interface EventBus {
  /**
   * Subscribes to `channel`; resolves once Redis has confirmed the
   * subscription, so anything published afterwards is received.
   */
  subscribe(channel: string): Promise<ChannelMessages>;
  close(): Promise<void>;
}

/**
 * Messages kept for a slow reader before the oldest are dropped. Every event
 * we publish describes a state (progress, latest readings), so a reader that
 * falls this far behind loses nothing it needs.
 */
const MAX_BUFFERED_MESSAGES = 512;

type Listener = (message: string) => void;

/**
 * Redis pub/sub behind GraphQL subscriptions: one subscriber connection per
 * process, shared by every subscription; a channel is subscribed while at
 * least one reader listens.
 */
export class RedisEventBus implements EventBus {
  private readonly subscriber: Redis;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Pending SUBSCRIBE/UNSUBSCRIBE per channel, so they reach Redis in order. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(redisUrl: string) {
    this.subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber.on('message', (channel: string, message: string) => {
      for (const listener of this.listeners.get(channel) ?? []) listener(message);
    });
    // Reconnection is automatic (ioredis resubscribes); errors are reported per command.
    this.subscriber.on('error', () => {});
  }

  private serialize(channel: string, command: () => Promise<unknown>): Promise<unknown> {
    const next = (this.pending.get(channel) ?? Promise.resolve()).then(command, command);
    this.pending.set(channel, next);
    return next;
  }

  async subscribe(channel: string): Promise<ChannelMessages> {
    const queue: string[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    const listener: Listener = (message) => {
      if (queue.length >= MAX_BUFFERED_MESSAGES) queue.shift();
      queue.push(message);
      wake?.();
    };
    let channelListeners = this.listeners.get(channel);
    if (!channelListeners) {
      channelListeners = new Set();
      this.listeners.set(channel, channelListeners);
    }
    const first = channelListeners.size === 0;
    channelListeners.add(listener);
    try {
      if (this.subscriber.status === 'wait') await this.subscriber.connect();
      if (first) await this.serialize(channel, () => this.subscriber.subscribe(channel));
      else await this.pending.get(channel);
    } catch (error) {
      this.removeListener(channel, listener);
      throw error;
    }

    const end = (): Promise<IteratorResult<string>> => {
      if (!ended) {
        ended = true;
        this.removeListener(channel, listener);
        wake?.();
      }
      return Promise.resolve({ done: true, value: undefined });
    };
    const iterator: ChannelMessages = {
      next: async (): Promise<IteratorResult<string>> => {
        while (!ended) {
          const message = queue.shift();
          if (message !== undefined) return { done: false, value: message };
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
        return { done: true, value: undefined };
      },
      return: end,
      throw: async (error: unknown) => {
        await end();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  private removeListener(channel: string, listener: Listener): void {
    const channelListeners = this.listeners.get(channel);
    if (!channelListeners?.delete(listener) || channelListeners.size > 0) return;
    this.listeners.delete(channel);
    void this.serialize(channel, async () => {
      // A reader may have arrived while this was queued.
      if (!this.listeners.has(channel)) await this.subscriber.unsubscribe(channel);
    }).catch(() => {});
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
    return Promise.resolve();
  }
}

/** What a subscription makes of one message: skip it, emit it, or emit it and end. */
export type Mapped<T> = undefined | { value: T; last?: boolean };

/**
 * Maps every message of `messages` through `map`; ends after a value marked
 * `last` or when the reader stops. The source is always ended, so the Redis
 * channel is released.
 */
export async function* mapMessages<T>(
  messages: ChannelMessages,
  map: (message: string) => Promise<Mapped<T>> | Mapped<T>,
): AsyncGenerator<T> {
  try {
    for await (const message of messages) {
      const mapped = await map(message);
      if (mapped === undefined) continue;
      yield mapped.value;
      if (mapped.last) return;
    }
  } finally {
    await messages.return?.();
  }
}

export interface SnapshotThenEvents<T> {
  /** The state now, read after the channel is subscribed: what happens meanwhile arrives as events too. */
  snapshot: () => Promise<readonly T[]>;
  /** One message of the channel → an item, nothing, or a last item. */
  map: (message: string) => Promise<Mapped<T>> | Mapped<T>;
  /** Ends right after the snapshot when it says there is nothing more to wait for. */
  endAfterSnapshot?: (snapshot: readonly T[]) => boolean;
}

/**
 * The shape of every subscription: subscribe to the channel first, then read the current state
 * (a snapshot failing — FORBIDDEN, NOT_FOUND — releases the channel and throws before any item),
 * then yield the snapshot followed by the mapped events. The channel is released however the
 * reader leaves, even before the first item.
 */
export async function snapshotThenEvents<T>(
  bus: EventBus,
  channel: string,
  options: SnapshotThenEvents<T>,
): Promise<AsyncGenerator<T>> {
  const messages = await bus.subscribe(channel);
  let snapshot: readonly T[];
  try {
    snapshot = await options.snapshot();
  } catch (error) {
    await messages.return?.();
    throw error;
  }
  const events = mapMessages(messages, options.map);
  return (async function* () {
    try {
      yield* snapshot;
      if (options.endAfterSnapshot?.(snapshot)) return;
      yield* events;
    } finally {
      await messages.return?.();
    }
  })();
}
