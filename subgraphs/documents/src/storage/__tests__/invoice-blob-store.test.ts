import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '@ciro/subgraph-common';
import { InvoiceBlobStore } from '../invoice-blob-store';

let azurite: RunningAzurite;
let store: InvoiceBlobStore;
const dir = mkdtempSync(join(tmpdir(), 'azurite-'));

beforeAll(async () => {
  azurite = await startAzurite({ location: dir, port: 0 });
  store = new InvoiceBlobStore(azurite.connectionString);
});
afterAll(async () => {
  await azurite?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('InvoiceBlobStore', () => {
  it('keeps one private blob per invoice under a deterministic key; a re-render replaces it', async () => {
    const clientId = randomUUID();
    const invoiceId = randomUUID();
    const first = await store.putInvoicePdf(clientId, invoiceId, Buffer.from('%PDF-first'));
    const second = await store.putInvoicePdf(clientId, invoiceId, Buffer.from('%PDF-second'));
    expect(second).toEqual(first);
    expect(first.container).toBe(`client-${clientId}`);
    const url = await store.readUrl(clientId, first.key, 60);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(await response.text()).toBe('%PDF-second');
    // Without the SAS token the blob is not readable.
    const bare = await fetch(url.split('?')[0]);
    expect([403, 404]).toContain(bare.status);
  });

  it('refuses an expired SAS link', async () => {
    const clientId = randomUUID();
    const { key } = await store.putInvoicePdf(clientId, randomUUID(), Buffer.from('%PDF-x'));
    const expired = await store.readUrl(clientId, key, -60);
    const response = await fetch(expired);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/AuthenticationFailed|AuthorizationFailure|expired/i);
  });

  it('gives a read-only link: writing through it is refused', async () => {
    const clientId = randomUUID();
    const { key } = await store.putInvoicePdf(clientId, randomUUID(), Buffer.from('%PDF-x'));
    const url = await store.readUrl(clientId, key, 60);
    const response = await fetch(url, { method: 'PUT', body: 'evil', headers: { 'x-ms-blob-type': 'BlockBlob' } });
    expect(response.status).toBe(403);
  });
});
