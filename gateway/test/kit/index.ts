export * from './gql';
export * from './seed';
export * from './stack';
export * from './subscriptions';
export * from './billing-seed';
