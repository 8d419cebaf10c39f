#!/usr/bin/env node
/**
 * npm run data:communes: writes seeds/data/communes.json, the communes the
 * search's gazetteer needs, from the installed @etalab/decoupage-administratif
 * (src/reference/communes.ts says which and why). Run after upgrading it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { COMMUNES_FILE, deriveCommunes } from '../src/reference/communes.ts';
import { getDepartement } from '../src/reference/territories.ts';

const require = createRequire(import.meta.url);
const raw = JSON.parse(readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8'));
const communes = deriveCommunes(raw, (code) => Boolean(getDepartement(code)));
writeFileSync(COMMUNES_FILE, `[\n${communes.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
process.stdout.write(`${communes.length} communes written to ${COMMUNES_FILE}\n`);
