import { expect } from 'chai';
import { guessMapping } from '../../src/imports/columns';
import { decodeText, detectSeparator, MAX_FILE_BYTES, MAX_LINES, readSpreadsheet } from '../../src/imports/spreadsheet';
import { csv1252, csvText, csvUtf8Bom, HEADER, xlsx } from './fixtures';

/** The error a read fails with (a read that succeeds fails the test). */
const refusal = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => new Error('the file was accepted'),
    (e: Error) => e,
  );

describe('imports/spreadsheet', () => {
  describe('readSpreadsheet()', () => {
    it('reads a UTF-8 CSV with a BOM, `;`, CRLF and quoted fields', async () => {
      const buf = csvUtf8Bom([
        HEADER,
        ['CAF de Loire-Atlantique', 'Pôle « partenaires »', '', '', '', '02 40 00 00 01', '', 'Appeler le matin; demander "Sylvie"\r\nsinon rappeler'],
      ]);

      const sheet = await readSpreadsheet(buf, 'contacts.csv');

      expect(sheet.format).to.equal('csv-utf8');
      expect(sheet.headers).to.deep.equal(HEADER);
      expect(sheet.rows).to.have.length(1);
      expect(sheet.rows[0].line).to.equal(2);
      expect(sheet.rows[0].cells[1]).to.equal('Pôle « partenaires »');
      expect(sheet.rows[0].cells[7]).to.equal('Appeler le matin; demander "Sylvie"\nsinon rappeler');
    });

    it('reads a Windows-1252 CSV with accents, œ and the typographic apostrophe', async () => {
      const buf = csv1252([
        HEADER,
        ['Maison départementale des personnes handicapées', 'Cœur d’accueil', 'Étienne', 'Hélène', 'Référente', '02 40 00 00 02', '', ''],
      ]);
      expect(buf.includes(Buffer.from('é', 'utf8'))).to.equal(false);

      const sheet = await readSpreadsheet(buf);

      expect(sheet.format).to.equal('csv-1252');
      expect(sheet.headers[3]).to.equal('Prénom');
      expect(sheet.rows[0].cells.slice(0, 5)).to.deep.equal([
        'Maison départementale des personnes handicapées',
        'Cœur d’accueil',
        'Étienne',
        'Hélène',
        'Référente',
      ]);
    });

    it('reads a `,` CSV and keeps a `;` inside a cell', async () => {
      const sheet = await readSpreadsheet(
        Buffer.from(
          csvText(
            [
              ['Organisme', 'Remarques'],
              ['CAF', 'lundi; mardi'],
            ],
            ',',
          ),
          'utf8',
        ),
      );
      expect(sheet.rows[0].cells).to.deep.equal(['CAF', 'lundi; mardi']);
    });

    it('reads the first sheet of an .xlsx written by exceljs, numbers as text', async () => {
      const sheet = await readSpreadsheet(await xlsx([HEADER, ['CCAS de Nantes', 'Accueil', '', '', '', '0240000003', '', 'Fermé le jeudi']]), 'contacts.xlsx');

      expect(sheet.format).to.equal('xlsx');
      expect(sheet.headers).to.deep.equal(HEADER);
      expect(sheet.rows[0].cells[0]).to.equal('CCAS de Nantes');
      expect(sheet.rows[0].cells[7]).to.equal('Fermé le jeudi');
    });

    it('refuses a file over 2 MB and one of more than 2 000 lines, with French messages', async () => {
      const big = Buffer.alloc(MAX_FILE_BYTES + 1, 'a');
      const long = Buffer.from(csvText([HEADER, ...Array.from({ length: MAX_LINES + 1 }, (_, i) => ['CAF', `Service ${i}`, '', '', '', '', '', ''])]), 'utf8');

      const tooBig = await refusal(readSpreadsheet(big));
      const tooLong = await refusal(readSpreadsheet(long));
      const justRight = await readSpreadsheet(
        Buffer.from(csvText([HEADER, ...Array.from({ length: MAX_LINES }, (_, i) => ['CAF', `Service ${i}`, '', '', '', '', '', ''])]), 'utf8'),
      );

      expect(tooBig.message).to.match(/dépasse 2 Mo/);
      expect(tooLong.message).to.match(/plus de 2\s000 lignes/);
      expect(justRight.rows).to.have.length(MAX_LINES);
    });

    it('refuses an old .xls and an empty file', async () => {
      expect((await refusal(readSpreadsheet(Buffer.from('abc'), 'a.xls'))).message).to.match(/\.xls/);
      expect((await refusal(readSpreadsheet(Buffer.from(csvText([HEADER])), 'a.csv'))).message).to.match(/aucune ligne/);
    });
  });

  it('decodes UTF-8 first and falls back to Windows-1252', () => {
    expect(decodeText(Buffer.from('Préfecture', 'utf8')).encoding).to.equal('utf8');
    expect(decodeText(Buffer.from([0x50, 0x72, 0xe9, 0x9c])).text).to.equal('Préœ');
  });

  it('detects the separator from the header line, outside quotes', () => {
    expect(detectSeparator('a;b;"c,d"\r\n1,2,3')).to.equal(';');
    expect(detectSeparator('a,b,"c;d;e"\n')).to.equal(',');
  });

  it('guesses the columns from the header whatever the case and accents', () => {
    expect(guessMapping(['ORGANISME', 'service', 'Nom', 'prenom', 'Fonction', 'TÉLÉPHONE', 'E-mail', 'Remarques', 'Tél. 2', 'Autre'])).to.deep.equal([
      'organisme',
      'service',
      'nom',
      'prenom',
      'fonction',
      'telephone',
      'mail',
      'remarques',
      'telephone',
      'ignore',
    ]);
  });
});
