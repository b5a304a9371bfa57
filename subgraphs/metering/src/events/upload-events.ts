import type { Redis } from 'ioredis';

/** What a subscriber of `uploads:<clientId>` receives, as JSON. */
export interface UploadEvent {
  type: 'UPLOAD_PROGRESS';
  /** Global Upload id. */
  uploadId: string;
  /** Global Client id. */
  clientId: string;
  status: string;
  /** RECEIVED, PARSING, PREVIEW_READY, COMMITTING, COMMITTED, FAILED, DISCARDED. */
  stage: string;
  message: string | null;
  at: string;
}

/** Publishes upload progress on Redis; any process (subgraph or worker) can emit. */
export interface UploadEvents {
  publish(rawClientId: string, event: Omit<UploadEvent, 'type' | 'at'>): Promise<void>;
}

/** Redis pub/sub channel of a client's upload events (raw client uuid). */
export function uploadChannelOf(rawClientId: string): string {
  return `uploads:${rawClientId}`;
}

export function createUploadEvents(redis: Redis): UploadEvents {
  return {
    async publish(rawClientId, event) {
      const message: UploadEvent = { type: 'UPLOAD_PROGRESS', ...event, at: new Date().toISOString() };
      await redis.publish(uploadChannelOf(rawClientId), JSON.stringify(message));
    },
  };
}

/** For callers without Redis (unit tests of services). */
export const NO_UPLOAD_EVENTS: UploadEvents = { publish: async () => {} };
