import { parentPort } from 'node:worker_threads';
import { priceCustomer, type RawCustomerInput } from './customer-pricing';

/** An engine thread of the pricing pool: prices one customer per message, in order. */
parentPort?.on('message', (message: { id: number; raw: RawCustomerInput }) => {
  try {
    parentPort?.postMessage({ id: message.id, priced: priceCustomer(message.raw) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
