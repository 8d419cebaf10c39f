/** npm run reindex — rebuilds the search indexes from the database and swaps them in. */
import { runTask } from '../boot';
import { reindexAll } from './reindex';

const WIDTH = 30;

await runTask('reindex', { search: true, mail: false }, async (say) => {
  const tty = process.stdout.isTTY;
  let lastLine = '';
  const result = await reindexAll((done, total, label) => {
    const ratio = total ? done / total : 1;
    const bar = '█'.repeat(Math.round(ratio * WIDTH)).padEnd(WIDTH, '░');
    const line = `Réindexation des ${label} ${bar} ${done.toLocaleString('fr-FR')} / ${total.toLocaleString('fr-FR')} (${Math.round(ratio * 100)} %)`;
    if (tty) process.stdout.write(`\r${line}`);
    else if (line.split('(')[1] !== lastLine.split('(')[1] && (done === 0 || done === total || Math.round(ratio * 100) % 10 === 0)) say(line);
    if (tty && done === total) process.stdout.write('\n');
    lastLine = line;
  });
  say(`Index reconstruits et basculés en ${result.seconds.toFixed(1)} s : ${result.agencies} organismes, ${result.contacts} contacts.`);
});
