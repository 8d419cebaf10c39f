import { expect } from 'chai';
import { hashing, hashPassword, needsRehash, verifyPassword } from '../../src/members/passwords';
import { olderSettingsHash } from '../support/factories';

describe('members/passwords', () => {
  it('hashes with argon2id, 7 MiB and 5 passes, and still verifies hashes made with the older settings', async () => {
    const current = await hashPassword('le train de nuit pour Nantes');
    const older = await olderSettingsHash('le train de nuit pour Nantes');

    expect(current).to.match(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    expect(older).to.match(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(current)).to.equal(false);
    expect(needsRehash(older)).to.equal(true);
    expect(await verifyPassword(older, 'le train de nuit pour Nantes')).to.equal(true);
    expect(await verifyPassword(current, 'le train de nuit pour Nantes')).to.equal(true);
    expect(await verifyPassword(current, 'le train de jour pour Nantes')).to.equal(false);
    expect(await verifyPassword('pas un hash', 'le train de nuit pour Nantes')).to.equal(false);
  });

  it('runs at most two hashes at a time, whatever the rush (the others wait, none is refused)', async () => {
    const stored = await hashPassword('le train de nuit pour Nantes');
    const seen: number[] = [];

    const rush = Array.from({ length: 8 }, (_, i) => verifyPassword(stored, i % 2 ? 'le train de nuit pour Nantes' : 'une autre phrase'));
    const watch = setInterval(() => seen.push(hashing.activeCount), 2);
    const results = await Promise.all(rush);
    clearInterval(watch);

    expect(results.filter(Boolean)).to.have.length(4);
    expect(Math.max(...seen)).to.equal(2);
    expect(hashing.activeCount + hashing.pendingCount).to.equal(0);
  });
});
