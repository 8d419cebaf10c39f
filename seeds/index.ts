/** npm run seed — loads the demo data set (development and test only). */
import { runTask } from '../src/boot';
import { config } from '../src/config';
import { seedDemo } from './demo';

if (config.isProduction) {
  process.stderr.write('npm run seed est interdit en production : il crée des comptes de démonstration.\n');
  process.exit(1);
}

await runTask('seed', { search: true, mail: false }, (say) => seedDemo(say));
