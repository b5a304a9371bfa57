#!/usr/bin/env node
// `npm run bench`: runs every compiled benchmark; each prints JSON lines
// {"name", "value", "unit"}. Benchmarks never run inside `npm test`.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const benches = [
  'db/dist/bench/tenant-overhead.bench.js',
  'subgraphs/billing/dist/bench/engine.bench.js',
  'subgraphs/billing/dist/bench/billing-run.bench.js',
  'subgraphs/documents/dist/bench/pdf-throughput.bench.js',
  // Parse, store and dashboard-query figures; BENCH_READINGS_METERS (default 1000) sets the query
  // figure's load (one year × that many meters: 35 M readings take minutes).
  'subgraphs/metering/dist/bench/ingestion.bench.js',
];
let failed = false;
for (const bench of benches) {
  const result = spawnSync(process.execPath, [path.join(root, bench)], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
