import { expect } from 'chai';
import { escapeText, foldLine, serializeVCard } from '../../src/contacts/vcard';

const octets = (s: string) => Buffer.byteLength(s, 'utf8');
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('contacts/vcard', () => {
  describe('escapeText()', () => {
    it('escapes backslashes, commas and semicolons, and writes every line break (CRLF, CR, LF) as \\n', () => {
      expect(escapeText('a\\b,c;d')).to.equal('a\\\\b\\,c\\;d');
      expect(escapeText('un\r\ndeux\rtrois\nquatre')).to.equal('un\\ndeux\\ntrois\\nquatre');
    });

    it('drops the other control characters and treats Unicode line separators as line breaks', () => {
      expect(escapeText('a\u0000b\u000Bc\u007Fd\te')).to.equal('abcd\te');
      expect(escapeText('a\u2028b\u2029c\u0085d')).to.equal('a\\nb\\nc\\nd');
    });
  });

  describe('foldLine()', () => {
    it('leaves a line of 75 octets alone and folds a longer one with CRLF and a space', () => {
      expect(foldLine('x'.repeat(75))).to.equal('x'.repeat(75));
      expect(foldLine('x'.repeat(76))).to.equal(`${'x'.repeat(75)}\r\n x`);
    });

    it('counts octets, not characters, and never splits a multi-byte character', () => {
      const line = `NOTE:${'é'.repeat(60)}${'🙂'.repeat(30)}${'€'.repeat(40)}`;

      const folded = foldLine(line);

      for (const physical of folded.split('\r\n')) {
        expect(octets(physical)).to.be.at.most(75);
        expect(physical).not.to.match(LONE_SURROGATE);
      }
      expect(folded.split('\r\n').length, '365 octets need 5 lines').to.equal(5);
      expect(unfold(folded)).to.equal(line);
    });
  });

  describe('serializeVCard()', () => {
    it('writes BEGIN, VERSION 3.0, the properties and END, each line folded and ended by CRLF', () => {
      const card = serializeVCard([
        { name: 'FN', value: escapeText('Nom, prénom') },
        { name: 'NOTE', value: escapeText('ligne '.repeat(30)) },
      ]);

      const lines = unfold(card).split('\r\n');

      expect(lines).to.deep.equal(['BEGIN:VCARD', 'VERSION:3.0', 'FN:Nom\\, prénom', `NOTE:${'ligne '.repeat(30)}`, 'END:VCARD', '']);
      expect(card.split('\r\n').every((l) => octets(l) <= 75)).to.equal(true);
    });
  });
});
