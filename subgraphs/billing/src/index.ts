export * from './context';
export * from './env';
export * from './schema';
export * from './server';
