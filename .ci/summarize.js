#!/usr/bin/env node
'use strict';
// Adds up jest's --json results into the one line CI reads: "N passed, N failed".
// A run that wrote no results, or a test file that could not run, counts as a failure.
const fs = require('node:fs');

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  let results;
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    console.log(`CI: ${file}: no test results (the run did not finish)`);
    failed += 1;
    continue;
  }
  passed += results.numPassedTests;
  failed += results.numFailedTests + results.numRuntimeErrorTestSuites;
  for (const suite of results.testResults) {
    if (suite.status === 'failed') console.log(`CI: failed: ${suite.name.replace(`${process.cwd()}/`, '')}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
