import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { type CogCommune, deriveCommunes, MIN_COMMUNE_POPULATION, readCommunes } from '../../src/reference/communes';
import { getDepartement } from '../../src/reference/territories';
import { places } from '../../src/search/places';

const require = createRequire(import.meta.url);

describe('reference/communes', () => {
  it('is what the installed @etalab/decoupage-administratif gives (else run npm run data:communes)', () => {
    const raw = JSON.parse(readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8')) as CogCommune[];

    const derived = deriveCommunes(raw, (code) => Boolean(getDepartement(code)));

    expect(readCommunes()).to.deep.equal(derived);
  });

  it('keeps every commune large enough to be named and the most populous commune of every postcode', () => {
    const raw = JSON.parse(readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8')) as CogCommune[];
    const current = raw.filter((c) => c.type === 'commune-actuelle' && c.departement && getDepartement(c.departement));
    const kept = new Set(readCommunes().map((c) => c[0]));

    const large = current.filter((c) => (c.population ?? 0) >= MIN_COMMUNE_POPULATION);
    expect(large.every((c) => kept.has(c.code))).to.equal(true);
    // Postcode 85000 is La Roche-sur-Yon's; 44000 is Nantes'; 97400 is Saint-Denis (La Réunion).
    const gazetteer = places();
    expect(gazetteer.byPostcode.get('85000')?.name).to.equal('La Roche-sur-Yon');
    expect(gazetteer.byPostcode.get('44000')?.name).to.equal('Nantes');
    expect(gazetteer.byPostcode.get('97400')?.name).to.equal('Saint-Denis');
    expect(new Set(current.flatMap((c) => c.codesPostaux ?? [])).size).to.equal(gazetteer.byPostcode.size);
  });
});
