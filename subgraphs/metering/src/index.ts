export * from './parsing';
export * from './context';
export * from './env';
export * from './schema';
export * from './server';
export { startMeteringWorker, type MeteringWorkerOptions, type RunningWorker } from './jobs/worker';
export { uploadChannelOf, type UploadEvent } from './events/upload-events';
export { azuriteConnectionString, createBlobStorage, type BlobStorage } from './storage/blob-storage';
