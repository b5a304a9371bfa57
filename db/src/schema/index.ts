export * from './tenancy.js';
export * from './metering.js';
export * from './meter-readings.js';
export * from './billing.js';
