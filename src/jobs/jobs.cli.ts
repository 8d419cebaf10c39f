/** npm run jobs -- <freshness|rank> [--now 2027-12-01] — runs a daily job by hand (under its lease). */
import { parseArgs } from 'node:util';
import { runTask } from '../boot';
import { DAILY_JOBS, runJob } from './scheduler';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { now: { type: 'string' } } });
const name = positionals[0];
const now = values.now ? new Date(values.now) : new Date();
if (!name || !DAILY_JOBS[name] || Number.isNaN(now.getTime())) {
  process.stderr.write(`Usage : npm run jobs -- <${Object.keys(DAILY_JOBS).join('|')}> [--now AAAA-MM-JJ]\n`);
  process.exit(2);
}

await runTask(`jobs ${name}`, { search: true, mail: true }, async (say) => {
  const ran = await runJob(name, now);
  say(ran ? `Tâche « ${name} » terminée.` : `Tâche « ${name} » déjà en cours sur une autre instance : rien fait.`);
});
