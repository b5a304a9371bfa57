import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import { BILL_CUSTOMER_JOB, type BillCustomerPayload } from './bill-customer.job';
import { FINISH_BILLING_RUN_JOB, type FinishBillingRunPayload } from './finish-billing-run.job';

/** The billing subgraph's BullMQ queue: a run's parent job and its children (one per customer). */
export const BILLING_QUEUE = 'billing-runs';

export interface QueueSettings {
  redisUrl: string;
  /** BullMQ key prefix (tests use their own so runs never share jobs). */
  prefix: string;
}

export interface RunToEnqueue {
  clientId: string;
  runId: string;
  customerIds: string[];
}

export interface BillingRunQueue {
  /**
   * Adds the run's flow: a parent (finishes the run) waiting for one child per customer. Job ids are deterministic
   * (`run-<runId>` and `run-<runId>-customer-<customerId>`), so enqueuing a customer twice is a no-op. With
   * `replace`, jobs of an earlier flow of this run that are no longer running are removed first (a resume).
   */
  enqueueRun(run: RunToEnqueue, options?: { replace?: boolean }): Promise<void>;
  /** True while the run's parent job waits for its children or runs. */
  isRunInFlight(runId: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * BullMQ refuses `:` in custom job ids (beyond its legacy three-part form), so the parts are joined with `-`:
 * uuids never contain `-customer-`.
 */
export const runJobIdOf = (runId: string) => `run-${runId}`;
export const customerJobIdOf = (runId: string, customerId: string) => `run-${runId}-customer-${customerId}`;

const CHILD_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  // A child that still fails after its attempts (it could not even record a FAILED outcome) must not block the
  // parent: the run finishes FAILED with the customers missing, and can be resumed.
  ignoreDependencyOnFailure: true,
  removeOnComplete: { age: 24 * 3600, count: 20_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const PARENT_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

const IN_FLIGHT = new Set(['waiting-children', 'waiting', 'wait', 'active', 'delayed', 'prioritized']);

export function createBillingRunQueue(settings: QueueSettings): BillingRunQueue {
  const connection = { url: settings.redisUrl };
  const queue = new Queue(BILLING_QUEUE, { connection, prefix: settings.prefix });
  const flows = new FlowProducer({ connection, prefix: settings.prefix });
  return {
    async enqueueRun(run, options = {}) {
      const parentData: FinishBillingRunPayload = { clientId: run.clientId, runId: run.runId };
      const parentId = runJobIdOf(run.runId);
      if (options.replace) {
        const state = await queue.getJobState(parentId);
        if (state !== 'unknown' && !IN_FLIGHT.has(state)) await queue.remove(parentId, { removeChildren: true });
        for (const customerId of run.customerIds) {
          const childId = customerJobIdOf(run.runId, customerId);
          const childState = await queue.getJobState(childId);
          if (childState === 'completed' || childState === 'failed') await queue.remove(childId);
        }
      }
      if (run.customerIds.length === 0) {
        await queue.add(FINISH_BILLING_RUN_JOB, parentData, { ...PARENT_OPTIONS, jobId: parentId });
        return;
      }
      await flows.add({
        name: FINISH_BILLING_RUN_JOB,
        queueName: BILLING_QUEUE,
        data: parentData,
        opts: { ...PARENT_OPTIONS, jobId: parentId },
        children: run.customerIds.map((customerId) => {
          const data: BillCustomerPayload = { clientId: run.clientId, runId: run.runId, customerId };
          return {
            name: BILL_CUSTOMER_JOB,
            queueName: BILLING_QUEUE,
            data,
            opts: { ...CHILD_OPTIONS, jobId: customerJobIdOf(run.runId, customerId) },
          };
        }),
      });
    },
    async isRunInFlight(runId) {
      return IN_FLIGHT.has(await queue.getJobState(runJobIdOf(runId)));
    },
    async close() {
      await flows.close();
      await queue.close();
    },
  };
}
