// `npm test`: the whole suite on SQLite; then, when TEST_POSTGRES_URL is set (.ci/run sets
// it), the database-backed integration tests again on PostgreSQL; then the httpie scenario.
// Ends with one summary line "N passed, N failed, N skipped". Every test peer is checked first:
// a missing one stops the run within seconds, naming its Debian package (scripts/test-peers.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { missingMessage, missingPeers } from './test-peers.mjs';

const missing = missingPeers();
if (missing.length) {
  console.error(missingMessage(missing));
  process.exit(1);
}

const tmp = mkdtempSync(join(tmpdir(), 'calndro-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function vitest(label, args, env) {
  const out = join(tmp, `${label}.json`);
  console.log(`\n=== ${label} ===`);
  const r = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...args], {
    stdio: 'inherit', env: { ...process.env, ...env },
  });
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) totals.failed += report.numFailedTestSuites;
  } else totals.failed += 1;
  if (r.status !== 0) ok = false;
}

const extra = process.argv.slice(2);
vitest('sqlite', extra, { TEST_DATABASE: 'sqlite' });

if (process.env.TEST_POSTGRES_URL) {
  vitest('postgresql', ['test/integration/db', ...extra], { TEST_DATABASE: 'postgresql' });
} else {
  console.log('\nPostgreSQL run skipped: set TEST_POSTGRES_URL=postgresql://… (as .ci/run does) to run it.');
}

if (extra.length === 0) {
  console.log('\n=== httpie scenario ===');
  const r = spawnSync('bash', ['scripts/httpie-scenario.sh'], { stdio: 'inherit' });
  if (r.status === 0) totals.passed += 1;
  else { totals.failed += 1; ok = false; }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
