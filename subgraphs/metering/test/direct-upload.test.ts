import { asSystem, schema } from '@ciro/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METER_CSV,
  expectData,
  expectErrorCode,
  gql,
  readSample,
  seedClient,
  startMetering,
  waitForUpload,
  type MeteringStack,
  type SeededClient,
} from './kit';

const REQUEST_URL = /* GraphQL */ `
  mutation RequestUploadUrl($input: RequestUploadUrlInput!) {
    requestUploadUrl(input: $input) {
      blobKey
      uploadUrl
      expiresAt
      maxBytes
      userErrors {
        field
        message
        code
      }
    }
  }
`;
const FROM_BLOB = /* GraphQL */ `
  mutation CreateUploadFromBlob($input: CreateUploadFromBlobInput!) {
    createUploadFromBlob(input: $input) {
      outcome
      upload {
        id
        status
        fileName
        sizeBytes
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

interface UrlResult {
  requestUploadUrl: {
    blobKey: string | null;
    uploadUrl: string | null;
    expiresAt: string | null;
    maxBytes: number | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}
interface FromBlobResult {
  createUploadFromBlob: {
    outcome: string | null;
    upload: { id: string; status: string; fileName: string; sizeBytes: number } | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

let stack: MeteringStack;
let eis: SeededClient;
let other: SeededClient;
let token: string;
const csv = readSample(`meters/${METER_CSV}`);

beforeAll(async () => {
  stack = await startMetering();
  eis = await seedClient(stack);
  other = await seedClient(stack, { withSampleCustomers: false });
  token = await eis.adminToken();
});
afterAll(() => stack?.stop());

async function requestUrl(fileName = METER_CSV, as = token) {
  return gql<UrlResult>(stack, as, REQUEST_URL, { input: { clientId: eis.globalId, fileName } });
}

async function put(url: string, bytes: Buffer): Promise<number> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'text/csv' },
    body: new Uint8Array(bytes),
  });
  return response.status;
}

describe('uploads through a write-only blob link (requestUploadUrl → PUT → createUploadFromBlob)', () => {
  it('stores the file as an upload, parses it, and takes the same file again as DUPLICATE', async () => {
    const link = expectData(await requestUrl()).requestUploadUrl;
    expect(link.userErrors).toEqual([]);
    expect(link.blobKey).toMatch(/^incoming\/[0-9a-f-]{36}\/Medidor_5614112_2025-09\.csv$/);
    expect(link.maxBytes).toBe(5 * 1024 * 1024);
    expect(new Date(link.expiresAt ?? 0).getTime()).toBeGreaterThan(Date.now() + 10 * 60 * 1000);
    expect(await put(link.uploadUrl ?? '', csv)).toBe(201);

    // The link only writes: reading the blob back with it is refused.
    const read = await fetch(link.uploadUrl ?? '');
    expect(read.status).toBe(403);

    const created = expectData(
      await gql<FromBlobResult>(stack, token, FROM_BLOB, {
        input: { clientId: eis.globalId, kind: 'METER_READINGS', blobKey: link.blobKey },
      }),
    ).createUploadFromBlob;
    expect(created).toMatchObject({
      outcome: 'CREATED',
      upload: { status: 'RECEIVED', fileName: 'Medidor_5614112_2025-09.csv', sizeBytes: csv.length },
      userErrors: [],
    });
    const parsed = await waitForUpload(stack, token, created.upload?.id ?? '');
    expect(parsed.status).toBe('PREVIEW_READY');
    expect(parsed.preview?.readings).toBe(2880);

    // The incoming blob is gone once the upload holds its own copy.
    const again = expectData(
      await gql<FromBlobResult>(stack, token, FROM_BLOB, {
        input: { clientId: eis.globalId, kind: 'METER_READINGS', blobKey: link.blobKey },
      }),
    ).createUploadFromBlob;
    expect(again.userErrors).toMatchObject([{ field: ['input', 'blobKey'], code: 'BAD_USER_INPUT' }]);
    expect(again.userErrors[0]?.message).toContain('Nothing was uploaded');

    const second = expectData(await requestUrl('copia.csv')).requestUploadUrl;
    expect(await put(second.uploadUrl ?? '', csv)).toBe(201);
    const duplicate = expectData(
      await gql<FromBlobResult>(stack, token, FROM_BLOB, {
        input: { clientId: eis.globalId, kind: 'METER_READINGS', blobKey: second.blobKey },
      }),
    ).createUploadFromBlob;
    expect(duplicate).toMatchObject({ outcome: 'DUPLICATE', upload: { id: created.upload?.id } });
    const uploads = await asSystem(stack.database, 'test: uploads of the client', (tx) =>
      tx.select().from(schema.uploads).where(eq(schema.uploads.clientId, eis.id)),
    );
    expect(uploads.filter((upload) => upload.sha256 === parsed.sha256)).toHaveLength(1);
  });

  it('refuses keys it did not hand out, files never uploaded, oversize files and other clients', async () => {
    const forged = expectData(
      await gql<FromBlobResult>(stack, token, FROM_BLOB, {
        input: { clientId: eis.globalId, kind: 'METER_READINGS', blobKey: 'uploads/anything/secret.xlsx' },
      }),
    ).createUploadFromBlob;
    expect(forged).toMatchObject({
      outcome: null,
      userErrors: [{ field: ['input', 'blobKey'], code: 'BAD_USER_INPUT' }],
    });

    const never = expectData(await requestUrl('nunca.csv')).requestUploadUrl;
    const missing = expectData(
      await gql<FromBlobResult>(stack, token, FROM_BLOB, {
        input: { clientId: eis.globalId, kind: 'METER_READINGS', blobKey: never.blobKey },
      }),
    ).createUploadFromBlob;
    expect(missing.userErrors[0]?.message).toContain('Nothing was uploaded');

    const big = expectData(await requestUrl('grande.csv')).requestUploadUrl;
    expect(await put(big.uploadUrl ?? '', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41))).toBe(201);
    const oversize = expectData(
      await gql<FromBlobResult>(stack, token, FROM_BLOB, {
        input: { clientId: eis.globalId, kind: 'METER_READINGS', blobKey: big.blobKey },
      }),
    ).createUploadFromBlob;
    expect(oversize.userErrors[0]?.message).toContain('the limit is 5242880 bytes');

    const badName = expectData(await requestUrl('../../etc/passwd')).requestUploadUrl;
    expect(badName).toMatchObject({ blobKey: null, userErrors: [{ field: ['input', 'fileName'] }] });

    const otherToken = await other.adminToken();
    expectErrorCode(await requestUrl(METER_CSV, otherToken), 'FORBIDDEN');
    const link = expectData(await requestUrl()).requestUploadUrl;
    expect(await put(link.uploadUrl ?? '', csv)).toBe(201);
    expectErrorCode(
      await gql<FromBlobResult>(stack, otherToken, FROM_BLOB, {
        input: { clientId: eis.globalId, kind: 'METER_READINGS', blobKey: link.blobKey },
      }),
      'FORBIDDEN',
    );
  });
});
