/**
 * npm run admin:create -- --email admin@association.fr [--first-name Prénom] [--last-name Nom] [--departement 75]
 * Creates (or promotes) an active national admin. The password is asked on a
 * terminal, or generated and printed once when there is none.
 */
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { runTask } from '../boot';
import { isDepartementCode } from '../reference/territories';
import { emailField } from './members.schemas';
import { upsertActiveMember } from './members.service';
import { passwordProblem } from './passwords';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    'first-name': { type: 'string', default: 'Admin' },
    'last-name': { type: 'string', default: 'Ligne directe' },
    departement: { type: 'string', default: '75' },
  },
});

async function askPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Hide what is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  process.stdout.write('Mot de passe (12 caractères au moins) : ');
  const password = await rl.question('');
  rl.close();
  process.stdout.write('\n');
  return password;
}

const email = emailField.safeParse(values.email ?? '');
if (!email.success || !isDepartementCode(values.departement)) {
  process.stderr.write('Usage : npm run admin:create -- --email admin@association.fr [--first-name P] [--last-name N] [--departement 75]\n');
  process.exit(2);
}

await runTask('admin:create', { search: false, mail: false }, async (say) => {
  let password: string;
  let generated = false;
  if (process.stdin.isTTY) {
    password = await askPassword();
    const problem = await passwordProblem(password);
    if (problem) throw new Error(problem);
  } else {
    password = randomBytes(18).toString('base64url');
    generated = true;
  }
  await upsertActiveMember({
    email: email.data,
    password,
    firstName: values['first-name']!,
    lastName: values['last-name']!,
    departement: values.departement!,
    role: 'admin',
  });
  say(`Compte administrateur actif : ${email.data}`);
  if (generated) say(`Mot de passe généré (affiché une seule fois, notez-le) : ${password}`);
});
