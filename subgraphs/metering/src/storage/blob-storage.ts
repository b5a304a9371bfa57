import { BlobSASPermissions, BlobServiceClient, RestError, type ContainerClient } from '@azure/storage-blob';
import { azuriteConnectionString } from '@ciro/subgraph-common';

export { azuriteConnectionString };

export const DEFAULT_BLOB_CONNECTION_STRING = azuriteConnectionString();

/** Private blob storage, one container per client, so a key can never reach another tenant's files. */
export interface BlobStorage {
  put(clientId: string, key: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  /** Throws BlobNotFoundError when the key does not exist. */
  getOrThrow(clientId: string, key: string): Promise<Buffer>;
  delete(clientId: string, key: string): Promise<void>;
  /** Resolves when the service answers (readiness). */
  ping(): Promise<void>;
}

/** What direct uploads also need: files written by the caller through a write-only link. */
export interface DirectUploadStorage extends BlobStorage {
  /** Size in bytes, or null when the key does not exist (read before downloading a file someone else wrote). */
  sizeOf(clientId: string, key: string): Promise<number | null>;
  /** A SAS URL that may only create or overwrite this one blob, valid `ttlSeconds` from now. */
  writeUrl(clientId: string, key: string, ttlSeconds: number): Promise<{ url: string; expiresAt: Date }>;
}

export class BlobNotFoundError extends Error {
  constructor(
    readonly container: string,
    readonly key: string,
  ) {
    super(`Blob ${key} does not exist in ${container}`);
    this.name = 'BlobNotFoundError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `client-<uuid>`: container names are lowercase letters, digits and dashes (3–63). */
export function containerNameOf(clientId: string): string {
  const id = clientId.toLowerCase();
  if (!UUID.test(id)) throw new Error(`clientId is not a uuid: ${JSON.stringify(clientId)}`);
  return `client-${id}`;
}

export interface BlobStorageOptions {
  connectionString: string;
}

/** Blob storage on Azure Blob Storage or Azurite, from a connection string. */
export function createBlobStorage(options: BlobStorageOptions): DirectUploadStorage {
  const service = BlobServiceClient.fromConnectionString(options.connectionString);
  const ensured = new Map<string, Promise<ContainerClient>>();

  const container = (clientId: string): Promise<ContainerClient> => {
    const name = containerNameOf(clientId);
    let ready = ensured.get(name);
    if (!ready) {
      const client = service.getContainerClient(name);
      // No `access` option: the container and its blobs are private.
      ready = client.createIfNotExists().then(() => client);
      ready.catch(() => ensured.delete(name));
      ensured.set(name, ready);
    }
    return ready;
  };

  return {
    async put(clientId, key, bytes, contentType) {
      const blob = (await container(clientId)).getBlockBlobClient(key);
      await blob.uploadData(bytes, {
        blobHTTPHeaders: contentType ? { blobContentType: contentType } : undefined,
      });
    },
    async getOrThrow(clientId, key) {
      const blob = (await container(clientId)).getBlockBlobClient(key);
      try {
        return await blob.downloadToBuffer();
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) {
          throw new BlobNotFoundError(containerNameOf(clientId), key);
        }
        throw error;
      }
    },
    async delete(clientId, key) {
      await (await container(clientId)).getBlockBlobClient(key).deleteIfExists();
    },
    async sizeOf(clientId, key) {
      const blob = (await container(clientId)).getBlockBlobClient(key);
      try {
        return (await blob.getProperties()).contentLength ?? 0;
      } catch (error) {
        if (error instanceof RestError && error.statusCode === 404) return null;
        throw error;
      }
    },
    async writeUrl(clientId, key, ttlSeconds) {
      const blob = (await container(clientId)).getBlockBlobClient(key);
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      // Create + write only: the holder can neither read, list nor delete anything.
      const url = await blob.generateSasUrl({ permissions: BlobSASPermissions.parse('cw'), expiresOn: expiresAt });
      return { url, expiresAt };
    },
    async ping() {
      await service.getProperties();
    },
  };
}
