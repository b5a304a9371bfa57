export * from './context';
export * from './env';
export * from './schema';
export * from './server';
export { verifyApiKey } from './api-keys/verify-api-key';
export * from './customers/customer-workbook.parser';
