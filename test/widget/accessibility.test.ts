import { expect } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { until } from './support/fixtures';
import { mountPortal, mountSignIn, richWorld, screens, settleDialogs, type World } from './support/screens';

/**
 * axe on every screen and dialog, in the three looks a customer may get: the light
 * theme, the built-in dark palette (the page prefers a dark colour scheme) and Arabic,
 * right to left.
 */
const looks = [
  { name: 'light', colorScheme: 'light', lang: 'en' },
  { name: 'dark', colorScheme: 'dark', lang: 'en' },
  { name: 'Arabic, right to left', colorScheme: 'light', lang: 'ar' },
] as const;

for (const look of looks) {
  describe(`every screen passes axe: ${look.name}`, () => {
    let world: World;
    before(async function () {
      this.timeout(30_000);
      await emulateMedia({ colorScheme: look.colorScheme });
      world = await richWorld();
    });
    afterEach(() => sessionStorage.clear());
    after(async () => {
      await emulateMedia({ colorScheme: 'light' });
    });

    it('sign-in', async function () {
      this.timeout(20_000);
      const signIn = await mountSignIn(world, look.lang);
      await until(() => signIn.dir === (look.lang === 'ar' ? 'rtl' : 'ltr'), 4000, 'the direction');
      await expect(signIn).to.be.accessible();
    });

    for (const screen of screens) {
      it(screen.name, async function () {
        this.timeout(20_000);
        const el = await mountPortal(world, look.lang);
        if (look.lang === 'ar') await until(() => el.dir === 'rtl', 4000, 'right to left');
        await screen.show(el, world);
        settleDialogs(el);
        expect(getComputedStyle(el).colorScheme).to.equal(look.colorScheme);
        await expect(el).to.be.accessible();
        await screen.leave?.(el);
      });
    }
  });
}
