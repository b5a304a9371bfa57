#!/usr/bin/env node
// Fails when a committed generated file (subgraph SDL, supergraph, API schema,
// typed operations) no longer matches what its source produces.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const checks = [
  { label: 'subgraph SDL and supergraph', command: process.execPath, args: ['gateway/dist/compose.js', '--check'] },
  {
    label: 'GraphQL Code Generator output',
    command: path.join(root, 'node_modules', '.bin', 'graphql-codegen'),
    args: ['--config', 'codegen.yml', '--check'],
  },
];

let failed = false;
for (const check of checks) {
  const result = spawnSync(check.command, check.args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed = true;
    process.stderr.write(`✖ ${check.label} is stale: run \`npm run compose\` and \`npm run codegen\`, then commit.\n`);
  } else {
    process.stdout.write(`✓ ${check.label} up to date\n`);
  }
}
process.exit(failed ? 1 : 0);
