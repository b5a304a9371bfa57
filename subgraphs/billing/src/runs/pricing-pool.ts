import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { priceCustomer, type PricedCustomer, type RawCustomerInput } from './customer-pricing';

/**
 * Where the pure engine runs. The engine is CPU work (decimal sums over every slot of the month): in engine threads
 * it runs beside the worker's event loop, which keeps loading and storing the next customers. With no thread it runs
 * inline, in the caller's thread (tests, the inline run, a single-core box).
 */
export interface PricingPool {
  readonly threads: number;
  price(raw: RawCustomerInput): Promise<PricedCustomer>;
  close(): Promise<void>;
}

export const INLINE_PRICING: PricingPool = {
  threads: 0,
  price: (raw) => Promise.resolve(priceCustomer(raw)),
  close: () => Promise.resolve(),
};

interface Pending {
  resolve(priced: PricedCustomer): void;
  reject(error: Error): void;
}

interface EngineThread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** The compiled engine thread beside this file (dist/); absent when running from sources (tests). */
export const ENGINE_THREAD_SCRIPT = join(__dirname, 'engine-thread.js');

/**
 * `threads` engine threads (0: inline). Each customer goes to the thread with the fewest customers in flight; a thread
 * that dies fails its customers (the job retries) and is replaced.
 */
export function createPricingPool(threads: number, script = ENGINE_THREAD_SCRIPT): PricingPool {
  if (threads <= 0 || !existsSync(script)) return INLINE_PRICING;
  let nextId = 0;
  let closing = false;
  const pool: EngineThread[] = [];
  const spawn = (slot: number) => {
    const thread: EngineThread = { worker: new Worker(script), pending: new Map() };
    thread.worker.on('message', (message: { id: number; priced?: PricedCustomer; error?: string }) => {
      const pending = thread.pending.get(message.id);
      if (!pending) return;
      thread.pending.delete(message.id);
      if (message.priced) pending.resolve(message.priced);
      else pending.reject(new Error(message.error ?? 'engine thread failed'));
    });
    const fail = (error: Error) => {
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
      if (!closing && pool[slot] === thread) spawn(slot);
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(new Error(`engine thread exited with code ${code}`)));
    // Idle threads must not keep the process alive.
    thread.worker.unref();
    pool[slot] = thread;
  };
  for (let i = 0; i < threads; i++) spawn(i);
  return {
    threads,
    price(raw) {
      const thread = pool.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<PricedCustomer>((resolve, reject) => {
        thread.pending.set(id, { resolve, reject });
        thread.worker.ref();
        thread.worker.postMessage({ id, raw });
      }).finally(() => {
        if (thread.pending.size === 0) thread.worker.unref();
      });
    },
    async close() {
      closing = true;
      await Promise.all(pool.map((t) => t.worker.terminate()));
    },
  };
}
