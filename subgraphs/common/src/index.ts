import 'reflect-metadata';

export * from './auth/identity';
export * from './auth/scopes';
export * from './auth/scopes.decorator';
export * from './auth/tokens';
export * from './env/load-env';
export * from './errors/errors';
export * from './errors/format-error';
export * from './ids';
export * from './logger';
export * from './scalars/decimal.scalar';
export * from './schema/build-federated-schema';
export * from './schema/pagination';
export * from './schema/user-error';
export * from './server/context';
export * from './server/create-subgraph-server';
export * from './schema/parse-input';
