#!/usr/bin/env node
// Starts one service of the production build: `node scripts/run-service.js <service>` runs
// dist/<service>/main.js (made by `npm run build`). Plain Node, no dependencies: the image's
// ENTRYPOINT, Kubernetes passes the service's name as the argument.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Every service `npm run build` bundles (scripts/build.mjs reads this list). */
const SERVICES = [
  'gateway',
  'workers',
  'users',
  'courses',
  'certifications',
  'conocer',
  'impact',
  'notifications',
  'media',
  'commerce',
  'conocer-sandbox',
  'payment-sandbox',
  'migrate',
  'seed',
];

// sysexits.h: EX_USAGE, EX_SOFTWARE.
const USAGE = 64;
const NOT_BUILT = 70;

function run(argv) {
  const [name, ...rest] = argv;
  if (!name || !SERVICES.includes(name)) {
    process.stderr.write(
      `${name ? `unknown service "${name}"` : 'no service named'}; usage: node scripts/run-service.js <service>\n` +
        `services: ${SERVICES.join(', ')}\n`,
    );
    process.exit(USAGE);
  }
  const main = path.join(__dirname, '..', 'dist', name, 'main.js');
  if (!fs.existsSync(main)) {
    process.stderr.write(`${path.relative(process.cwd(), main)} is missing: run \`npm run build\` first\n`);
    process.exit(NOT_BUILT);
  }
  // Stack traces point at the TypeScript sources (the bundles carry source maps).
  process.setSourceMapsEnabled(true);
  // The service reads its own arguments (the migrator's command) as if it had been started directly.
  process.argv = [process.argv[0], main, ...rest];
  require(main);
}

if (require.main === module) run(process.argv.slice(2));

module.exports = { SERVICES };
