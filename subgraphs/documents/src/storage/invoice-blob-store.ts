import { BlobSASPermissions, BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { azuriteConnectionString } from '@ciro/subgraph-common';

export { azuriteConnectionString };

/** Azurite on its default port (the default when AZURE_STORAGE_CONNECTION_STRING is unset). */
export const AZURITE_DEV_CONNECTION_STRING = azuriteConnectionString();

export interface StoredBlob {
  container: string;
  key: string;
}

/**
 * Invoice PDFs in blob storage: one private container per client, one deterministic key per invoice, so a re-render
 * overwrites the same blob. Reads go through short-lived, read-only SAS URLs for that one blob.
 * (Metering is growing its own storage module; the two should merge into subgraph-common once both settle.)
 */
export class InvoiceBlobStore {
  private readonly service: BlobServiceClient;
  private readonly ensured = new Set<string>();

  constructor(connectionString: string = AZURITE_DEV_CONNECTION_STRING) {
    this.service = BlobServiceClient.fromConnectionString(connectionString);
  }

  static containerOf(clientId: string): string {
    return `client-${clientId.toLowerCase()}`;
  }

  static invoicePdfKey(invoiceId: string): string {
    return `invoices/${invoiceId.toLowerCase()}.pdf`;
  }

  private async containerOrCreate(clientId: string): Promise<ContainerClient> {
    const name = InvoiceBlobStore.containerOf(clientId);
    const container = this.service.getContainerClient(name);
    if (!this.ensured.has(name)) {
      // No `access` option: the container (and every blob in it) stays private.
      await container.createIfNotExists();
      this.ensured.add(name);
    }
    return container;
  }

  async putInvoicePdf(clientId: string, invoiceId: string, pdf: Buffer): Promise<StoredBlob> {
    const container = await this.containerOrCreate(clientId);
    const key = InvoiceBlobStore.invoicePdfKey(invoiceId);
    await container.getBlockBlobClient(key).uploadData(pdf, {
      blobHTTPHeaders: {
        blobContentType: 'application/pdf',
        blobContentDisposition: `inline; filename="${invoiceId}.pdf"`,
      },
    });
    return { container: container.containerName, key };
  }

  /** A read-only SAS URL for one blob, valid `ttlSeconds` from now (negative: already expired, for tests). */
  async readUrl(clientId: string, key: string, ttlSeconds: number, now = new Date()): Promise<string> {
    const blob = this.service.getContainerClient(InvoiceBlobStore.containerOf(clientId)).getBlobClient(key);
    const expiresOn = new Date(now.getTime() + ttlSeconds * 1000);
    return blob.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      // Five minutes of slack for clocks that disagree.
      startsOn: new Date(Math.min(now.getTime(), expiresOn.getTime()) - 300_000),
      expiresOn,
    });
  }

  /** Streams a stored blob (the gateway's download route). */
  async download(
    clientId: string,
    key: string,
  ): Promise<{ stream: NodeJS.ReadableStream; length: number | undefined }> {
    const blob = this.service.getContainerClient(InvoiceBlobStore.containerOf(clientId)).getBlobClient(key);
    const response = await blob.download();
    if (!response.readableStreamBody) throw new Error(`blob ${key} has no body`);
    return { stream: response.readableStreamBody, length: response.contentLength };
  }

  /** Readiness: the account answers within `timeoutMs` (the SDK would otherwise retry for a long while). */
  async ping(timeoutMs = 2000): Promise<void> {
    await this.service.getProperties({ abortSignal: AbortSignal.timeout(timeoutMs) });
  }
}
