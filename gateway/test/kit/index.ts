export * from './gql';
export * from './seed';
export * from './stack';
