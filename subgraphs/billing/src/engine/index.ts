export * from './compute-invoice';
export * from './decimal';
export * from './errors';
export * from './tariff-json';
export * from './types';
