import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { config } from '../../src/config';
import { Member } from '../../src/members/member.model';
import { signedInAgent } from '../support/agent';
import { testServices } from '../support/services';

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/members/admin-create.cli.ts', ...args], {
    cwd: config.paths.root,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', MONGODB_URL: testServices().database.url, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('admin-create.cli', () => {
  it('creates an active national admin and prints a generated password once when there is no terminal', async function () {
    this.timeout(60_000);

    const { code, out } = await run(['--email', 'Premiere.Admin@Association.fr', '--first-name', 'Claire']);

    expect(code, out).to.equal(0);
    const password = /Mot de passe généré \(affiché une seule fois, notez-le\) : (\S+)/.exec(out)?.[1];
    expect(password).to.be.a('string');
    const admin = await Member.findOne({ email: 'premiere.admin@association.fr' }).lean();
    expect(admin).to.include({ role: 'admin', status: 'active', firstName: 'Claire' });
    await signedInAgent('premiere.admin@association.fr', password!);
  });

  it('refuses a missing or invalid e-mail with its usage line', async function () {
    this.timeout(30_000);

    const { code, out } = await run(['--email', 'pas-une-adresse']);

    expect(code).to.equal(2);
    expect(out).to.include('Usage : npm run admin:create');
  });
});
