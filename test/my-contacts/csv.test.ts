import { expect } from 'chai';
import { BOM, csvCell, defuse, toCsv } from '../../src/my-contacts/csv';

describe('my-contacts/csv', () => {
  describe('defuse()', () => {
    it('prefixes with an apostrophe what a spreadsheet would evaluate: = + - @ tab CR', () => {
      for (const v of ['=1+1', '+33 6', '-2', '@SUM(A1)', '\tx', '\rx']) expect(defuse(v)).to.equal(`'${v}`);
    });
    it('leaves other values alone, formulas in the middle included', () => {
      for (const v of ['02 40 00 00 00', 'CAF = aide', 'Mme Dupont', '', ' =1']) expect(defuse(v)).to.equal(v);
    });
  });

  describe('csvCell()', () => {
    it('quotes a cell with a semicolon, a quote or a line break, doubling quotes', () => {
      expect(csvCell('a;b')).to.equal('"a;b"');
      expect(csvCell('dit "bonjour"')).to.equal('"dit ""bonjour"""');
      expect(csvCell('l1\nl2')).to.equal('"l1\nl2"');
      expect(csvCell('a,b')).to.equal('a,b');
    });
    it('defuses before quoting, and writes nothing for an absent value', () => {
      expect(csvCell('=HYPERLINK("x";"y")')).to.equal(`"'=HYPERLINK(""x"";""y"")"`);
      expect(csvCell(undefined)).to.equal('');
      expect(csvCell(null)).to.equal('');
      expect(csvCell(3)).to.equal('3');
    });
  });

  describe('toCsv()', () => {
    it('starts with a BOM, separates with semicolons and ends rows with CRLF', () => {
      expect(toCsv(['Organisme', 'Téléphone'], [['CAF', '02 40 00 00 00']])).to.equal(`${BOM}Organisme;Téléphone\r\nCAF;02 40 00 00 00\r\n`);
      expect(BOM).to.equal('\uFEFF');
    });
  });
});
