#!/usr/bin/env node
// `npm start`: checks the services, migrates, seeds the demo on an empty
// database, starts the subgraphs and the gateway, and prints URLs and logins.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dataDir = path.join(root, '.data');

function loadDotEnv() {
  const file = path.join(root, '.env');
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)\s*=\s*(.*)\s*$/.exec(line);
    if (!match || line.trim().startsWith('#')) continue;
    const value = match[2].replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[match[1]] === undefined) process.env[match[1]] = value;
  }
}

function die(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

function canConnect(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port || defaultPort) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A stable local JWT secret, so sessions survive a restart of the demo. */
function localJwtSecret() {
  const file = path.join(dataDir, 'jwt-secret');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

function runNode(script, label) {
  const result = spawnSync(process.execPath, [script], { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) die(`${label} failed (exit ${result.status}); see the messages above.`);
}

function waitForHealth(url, name, timeoutMs = 60_000) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = async () => {
      try {
        const response = await fetch(url);
        if (response.ok) return resolve();
      } catch {
        // not listening yet
      }
      if (Date.now() - started > timeoutMs) return reject(new Error(`${name} did not become healthy at ${url}`));
      setTimeout(attempt, 300);
    };
    attempt();
  });
}

async function main() {
  loadDotEnv();
  process.env.NODE_ENV ??= 'development';
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  process.env.DATABASE_URL ??= 'postgres://ciro_app@127.0.0.1:5432/ciro';
  process.env.DATABASE_OWNER_URL ??= 'postgres://ciro_owner@127.0.0.1:5432/ciro';
  process.env.DATABASE_ADMIN_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
  process.env.JWT_SECRET ??= localJwtSecret();

  const database = new URL(process.env.DATABASE_URL);
  if (!(await canConnect(process.env.DATABASE_URL, 5432))) {
    die(
      `PostgreSQL is not reachable at ${database.hostname}:${database.port || 5432}: start it (pg_ctlcluster --skip-systemctl-redirect 15 main start) or set DATABASE_URL.`,
    );
  }
  const redis = new URL(process.env.REDIS_URL);
  if (!(await canConnect(process.env.REDIS_URL, 6379))) {
    die(
      `Redis is not reachable at ${redis.hostname}:${redis.port || 6379}: start it (redis-server --daemonize yes) or set REDIS_URL.`,
    );
  }

  runNode(path.join(root, 'db/dist/cli/migrate.js'), 'Database migration');
  runNode(path.join(root, 'subgraphs/tenancy/dist/seed/main.js'), 'Demo seed');

  const processes = [
    { name: 'tenancy', script: 'subgraphs/tenancy/dist/main.js', port: process.env.TENANCY_PORT ?? '4001' },
    { name: 'metering', script: 'subgraphs/metering/dist/main.js', port: process.env.METERING_PORT ?? '4002' },
    { name: 'billing', script: 'subgraphs/billing/dist/main.js', port: process.env.BILLING_PORT ?? '4003' },
    // Invoice PDFs: Debian's Chromium (CHROMIUM_PATH) and the same blob storage as uploads.
    { name: 'documents', script: 'subgraphs/documents/dist/main.js', port: process.env.DOCUMENTS_PORT ?? '4004' },
    { name: 'gateway', script: 'gateway/dist/main.js', port: process.env.GATEWAY_PORT ?? '4000' },
  ];
  const children = [];
  const stopAll = (code) => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 500).unref();
  };
  process.once('SIGINT', () => stopAll(0));
  process.once('SIGTERM', () => stopAll(0));

  // Blob storage for uploads: Azurite on 127.0.0.1:10000 (telemetry off, data in .data/azurite),
  // unless AZURE_STORAGE_CONNECTION_STRING points elsewhere or one already answers there.
  if (!process.env.AZURE_STORAGE_CONNECTION_STRING && !(await canConnect('http://127.0.0.1:10000', 10000))) {
    const { startAzurite } = require(path.join(root, 'subgraphs/common/dist/storage/azurite.js'));
    const azurite = await startAzurite({ location: path.join(dataDir, 'azurite'), port: 10000 }).catch((error) =>
      die(`Azurite (blob storage) did not start: ${error.message}`),
    );
    children.push(azurite.process);
  }

  for (const entry of processes) {
    const child = spawn(process.execPath, [path.join(root, entry.script)], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code) => {
      process.stderr.write(`${entry.name} exited with code ${code}\n`);
      stopAll(code ?? 1);
    });
    children.push(child);
    await waitForHealth(`http://127.0.0.1:${entry.port}/healthz`, entry.name).catch((error) => {
      stopAll(1);
      die(error.message);
    });
  }

  const gatewayPort = process.env.GATEWAY_PORT ?? '4000';
  // Same naming as subgraphs/tenancy/src/seed/main.ts: one file per database.
  const dbUrl = new URL(process.env.DATABASE_URL);
  const dbKey = `${dbUrl.hostname}-${dbUrl.port || '5432'}-${dbUrl.pathname.slice(1) || 'postgres'}`.replace(
    /[^A-Za-z0-9._-]/g,
    '_',
  );
  const credentialsFile = path.join(dataDir, `demo-logins-${dbKey}.txt`);
  process.stdout.write(
    [
      '',
      'CIRO Energy Portal is running',
      `  GraphQL API     http://127.0.0.1:${gatewayPort}/graphql`,
      `  Subscriptions   ws://127.0.0.1:${gatewayPort}/graphql  (graphql-ws; credentials in connectionParams)`,
      `  Health          http://127.0.0.1:${gatewayPort}/healthz  ·  http://127.0.0.1:${gatewayPort}/readyz`,
      '',
      fs.existsSync(credentialsFile)
        ? fs.readFileSync(credentialsFile, 'utf8')
        : '(no demo logins: the database was not seeded by this checkout)',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => die(error instanceof Error ? error.message : String(error)));
