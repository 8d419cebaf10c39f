// `npm test`: every test file, in two workers (Mocha's parallel mode). Each
// worker starts its own embedded FerretDB and Meilisearch in the root hooks of
// test/support/setup.ts (README, "Tests"); test/support/global-setup.ts runs
// once in the main process. The slowest files go first so that neither worker
// is left with a long one at the end (times from a serial run, README "Tests").
// No `exit: true`: a serial run (`--no-parallel`) ends only when the last
// handle closes, so a test that leaves one open shows as a hang.
const { readdirSync } = require('node:fs');

const SLOWEST_FIRST = [
  'test/security/hostile-input.test.ts',
  'test/faults/supervision.test.ts',
  'test/e2e/journeys.test.ts',
  'test/seeds/synthetic.test.ts',
  'test/core/access-matrix.test.ts',
  'test/contacts/contact-lifecycle.attacks.test.ts',
];
const all = readdirSync('test', { recursive: true })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `test/${file}`)
  .sort();
for (const file of SLOWEST_FIRST) if (!all.includes(file)) throw new Error(`.mocharc.cjs names a missing test file: ${file}`);

// Mocha adds a config's `spec` to the files named on the command line: name some, and only they run.
const named = process.argv.slice(2).some((arg) => arg.endsWith('.test.ts'));

module.exports = {
  spec: named ? [] : [...SLOWEST_FIRST, ...all.filter((file) => !SLOWEST_FIRST.includes(file))],
  parallel: true,
  jobs: 2,
  'node-option': ['import=tsx'],
  require: ['test/support/global-setup.ts', 'test/support/setup.ts'],
  // A hang detector, not a timing assertion: with two workers on two cores each test has about half the machine.
  timeout: 30000,
};
