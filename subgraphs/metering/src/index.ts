export * from './parsing';
