import { expect } from 'chai';
import {
  getDepartement,
  getRegion,
  groupDepartementsByRegion,
  isDepartementCode,
  isRegionCode,
  listDepartements,
  listOverseasCollectivities,
  listRegions,
  phoneRegionOfTerritory,
  regionOfDepartement,
} from '../../src/reference/territories';

// Written out from INSEE's geographic code (docs/domain.md « Territories »): région code → its départements.
const REFERENCE_REGIONS: Record<string, string> = {
  '01': '971', '02': '972', '03': '973', '04': '974', '06': '976',
  '11': '75 77 78 91 92 93 94 95',
  '24': '18 28 36 37 41 45',
  '27': '21 25 39 58 70 71 89 90',
  '28': '14 27 50 61 76',
  '32': '02 59 60 62 80',
  '44': '08 10 51 52 54 55 57 67 68 88',
  '52': '44 49 53 72 85',
  '53': '22 29 35 56',
  '75': '16 17 19 23 24 33 40 47 64 79 86 87',
  '76': '09 11 12 30 31 32 34 46 48 65 66 81 82',
  '84': '01 03 07 15 26 38 42 43 63 69 73 74',
  '93': '04 05 06 13 83 84',
  '94': '2A 2B',
};

describe('territories', () => {
  describe('listRegions()', () => {
    it('returns the 18 régions: 13 metropolitan and 5 overseas', () => {
      const regions = listRegions();

      expect(regions).to.have.length(18);
      expect(regions.filter((r) => r.overseas).map((r) => r.code)).to.have.members(['01', '02', '03', '04', '06']);
    });

    it('sorts régions by name in French collation (Île-de-France among the I)', () => {
      const names = listRegions().map((r) => r.name);

      expect(names).to.deep.equal([
        'Auvergne-Rhône-Alpes', 'Bourgogne-Franche-Comté', 'Bretagne', 'Centre-Val de Loire', 'Corse', 'Grand Est',
        'Guadeloupe', 'Guyane', 'Hauts-de-France', 'Île-de-France', 'La Réunion', 'Martinique', 'Mayotte',
        'Normandie', 'Nouvelle-Aquitaine', 'Occitanie', 'Pays de la Loire', "Provence-Alpes-Côte d'Azur",
      ]);
    });

    it('lists for each région exactly the départements of the table above', () => {
      const actual = Object.fromEntries(listRegions().map((r) => [r.code, r.departementCodes.join(' ')]));

      expect(actual).to.deep.equal(REFERENCE_REGIONS);
    });

    it('leaves out the overseas collectivities shipped as pseudo-régions', () => {
      const codes = listRegions().map((r) => r.code);

      for (const com of ['975', '977', '978', '984', '986', '987', '988', '989']) expect(codes).not.to.include(com);
    });
  });

  describe('listDepartements()', () => {
    it('returns the 101 départements with string codes, each once', () => {
      const codes = listDepartements().map((d) => d.code);

      expect(codes).to.have.length(101);
      expect(new Set(codes).size).to.equal(101);
      expect(codes.every((c) => typeof c === 'string')).to.equal(true);
    });

    it('sorts by INSEE code with Corsica between 29 and 30 and the overseas codes last', () => {
      const codes = listDepartements().map((d) => d.code);

      expect(codes.slice(0, 3)).to.deep.equal(['01', '02', '03']);
      expect(codes.slice(codes.indexOf('29'), codes.indexOf('29') + 4)).to.deep.equal(['29', '2A', '2B', '30']);
      expect(codes.slice(-6)).to.deep.equal(['95', '971', '972', '973', '974', '976']);
    });

    it('has no code 20, no Métropole de Lyon code and no overseas collectivity', () => {
      const codes = listDepartements().map((d) => d.code);

      for (const absent of ['20', '69D', '69M', '975', '977', '978', '988']) expect(codes).not.to.include(absent);
      expect(codes.filter((c) => c === '69')).to.have.length(1);
    });

    it('filters by région code', () => {
      const corsica = listDepartements('94').map((d) => d.code);
      const unknown = listDepartements('99');

      expect(corsica).to.deep.equal(['2A', '2B']);
      expect(unknown).to.deep.equal([]);
    });
  });

  describe('groupDepartementsByRegion()', () => {
    it('puts every département in exactly one group, groups in région name order', () => {
      const groups = groupDepartementsByRegion();

      const all = groups.flatMap((g) => g.departements.map((d) => d.code));
      expect(all).to.have.length(101);
      expect(new Set(all).size).to.equal(101);
      expect(groups[0]?.region.name).to.equal('Auvergne-Rhône-Alpes');
    });
  });

  describe('getDepartement()', () => {
    it('returns Corse-du-Sud for 2A with its région 94', () => {
      const departement = getDepartement('2A');

      expect(departement).to.include({ code: '2A', name: 'Corse-du-Sud', regionCode: '94', overseas: false, phoneRegion: 'FR' });
    });

    it('marks the five overseas départements with their phone territory', () => {
      const regions = ['971', '972', '973', '974', '976'].map((c) => getDepartement(c)?.phoneRegion);

      expect(regions).to.deep.equal(['GP', 'MQ', 'GF', 'RE', 'YT']);
      expect(getDepartement('976')).to.include({ name: 'Mayotte', regionCode: '06', overseas: true });
    });

    it('builds the « de » form from the INSEE article code', () => {
      const forms = ['33', '59', '01', '40', '75', '974', '13'].map((c) => getDepartement(c)?.nameWithDe);

      expect(forms).to.deep.equal([
        'de la Gironde', 'du Nord', "de l'Ain", 'des Landes', 'de Paris', 'de La Réunion', 'des Bouches-du-Rhône',
      ]);
    });

    it('returns undefined for unknown or number-like codes', () => {
      const results = ['20', '1', '2a', '975', ''].map((c) => getDepartement(c));

      expect(results.every((r) => r === undefined)).to.equal(true);
    });
  });

  describe('getRegion()', () => {
    it('returns a région by code and undefined for a département-only code', () => {
      const region = getRegion('84');

      expect(region?.name).to.equal('Auvergne-Rhône-Alpes');
      expect(getRegion('2A')).to.equal(undefined);
    });
  });

  describe('regionOfDepartement()', () => {
    it('finds the région of a metropolitan and of an overseas département', () => {
      const paca = regionOfDepartement('13');
      const reunion = regionOfDepartement('974');

      expect(paca?.code).to.equal('93');
      expect(reunion).to.include({ code: '04', name: 'La Réunion' });
      expect(regionOfDepartement('20')).to.equal(undefined);
    });
  });

  describe('isDepartementCode() and isRegionCode()', () => {
    it('accepts only canonical string codes', () => {
      const accepted = ['01', '2B', '976'].map(isDepartementCode);
      const rejected = [1, '1', '2a', '20', '975', null, undefined].map(isDepartementCode);

      expect(accepted).to.deep.equal([true, true, true]);
      expect(rejected.some(Boolean)).to.equal(false);
    });

    it('knows that 01 is both the Ain département and the Guadeloupe région', () => {
      const asDepartement = getDepartement('01')?.name;
      const asRegion = getRegion('01')?.name;

      expect([isDepartementCode('01'), isRegionCode('01')]).to.deep.equal([true, true]);
      expect([asDepartement, asRegion]).to.deep.equal(['Ain', 'Guadeloupe']);
      expect([isRegionCode('05'), isRegionCode('974'), isRegionCode(11)]).to.deep.equal([false, false, false]);
    });
  });

  describe('listOverseasCollectivities()', () => {
    it('keeps Saint-Pierre-et-Miquelon, Saint-Barthélemy and Saint-Martin only', () => {
      const collectivities = listOverseasCollectivities();

      expect(collectivities.map((c) => `${c.code} ${c.phoneRegion}`)).to.deep.equal(['975 PM', '977 BL', '978 MF']);
    });
  });

  describe('phoneRegionOfTerritory()', () => {
    it('maps départements and kept collectivities to their numbering territory', () => {
      const regions = ['33', '2A', '971', '976', '975', '978', '984'].map(phoneRegionOfTerritory);

      expect(regions).to.deep.equal(['FR', 'FR', 'GP', 'YT', 'PM', 'MF', undefined]);
    });
  });
});
