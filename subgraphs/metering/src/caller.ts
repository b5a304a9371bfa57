// The shared request caller lives in the subgraph kit; metering code imports it from here.
export { callerOf, type Caller } from '@ciro/subgraph-common';
