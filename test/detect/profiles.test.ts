/**
 * Account profiles ("the most this account ever paid / received") describe dealings with other accounts: an
 * account paying itself (an own-account or book transfer) must not raise them, or one sweep of savings
 * hides the next genuinely out-of-profile payment from or to a stranger.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DAY, only, scan, World } from '../helpers/world.js';

/** Ordinary life: salary 3,000 in, rent 1,000 and shopping out. */
function life(w: World, who: string): void {
  w.recurring(`EMPLOYER-${who}`, who, 3000, 0, 14 * DAY, 4);
  w.recurring(who, `LANDLORD-${who}`, 1000, DAY, 30 * DAY, 2);
  for (let i = 0; i < 6; i++) w.tx(who, 'SUPERMARKET', 60 + i, 2 * DAY + i * 5 * DAY, { channel: 'card' });
}

describe('profiles leave out an account paying itself', () => {
  for (const { self, what } of [
    { self: 'Q', what: 'from a stranger into an account whose largest receipt from others is 3,000' },
    { self: 'P', what: 'out of an account whose largest payment to others is 1,000' },
  ]) {
    it(`flags 12,000 ${what}, after it moved 11,000 to itself`, () => {
      const w = new World();
      life(w, 'P');
      life(w, 'Q');
      w.tx(self, self, 11_000, 59 * DAY);
      const id = w.tx('P', 'Q', 12_000, 60 * DAY);
      const alerts = scan(w, only({ 'unusual-transfer': {} })).filter((a) => a.transactions.includes(id));
      assert.equal(alerts.length, 1);
      assert.match(alerts[0]!.explanation, /12\.0× the most P ever paid and 4\.0× the most Q ever received/);
    });
  }
});
