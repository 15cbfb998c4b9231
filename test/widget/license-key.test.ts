import { ContextProvider } from '@lit/context';
import { expect, fixtureSync, html } from '@open-wc/testing';
import { ApLicenceKey, ApLicenseKey } from '../../widget/components/license-key/license-key';
import { portalContext, type PortalServices } from '../../widget/context/portal-context';
import { Localizer } from '../../widget/internal/localizer';

ApLicenseKey.define('ap-license-key');
ApLicenceKey.define('ap-licence-key');

/** A key element under `tag`, inside a provider of the one service it needs (the localizer), styled with `style`. */
async function mount(tag: 'ap-license-key' | 'ap-licence-key', style = ''): Promise<ApLicenseKey> {
  // fixtureSync: a plain wrapper would make fixture() wait for an animation frame, which a background page never gets.
  const wrapper = fixtureSync<HTMLDivElement>(html`<div></div>`);
  new ContextProvider(wrapper, {
    context: portalContext,
    initialValue: { i18n: new Localizer('/widget/i18n') } as PortalServices,
  });
  const element = document.createElement(tag);
  element.key = 'PTK3-AAAA-BBBB-CCCC';
  element.setAttribute('style', style);
  wrapper.append(element);
  await element.updateComplete;
  return element;
}

const keyBox = (element: ApLicenseKey) => element.shadowRoot!.querySelector<HTMLElement>('.key')!;

describe('<ap-license-key>', () => {
  it('shows the key with a Copy button', async () => {
    const element = await mount('ap-license-key');
    expect(keyBox(element).textContent).to.equal('PTK3-AAAA-BBBB-CCCC');
    expect(element.shadowRoot!.querySelector('button')!.textContent).to.include('Copy');
    await expect(element).to.be.accessible();
  });

  describe('under its old name, <ap-licence-key>', () => {
    it('is the same element: it shows the key with a Copy button', async () => {
      const element = await mount('ap-licence-key');
      expect(element).to.be.instanceOf(ApLicenseKey);
      expect(keyBox(element).textContent).to.equal('PTK3-AAAA-BBBB-CCCC');
      expect(element.shadowRoot!.querySelector('button')!.textContent).to.include('Copy');
      await expect(element).to.be.accessible();
    });

    it('still takes the old --ap-licence-key-* custom properties; the new names win', async () => {
      const old = await mount(
        'ap-licence-key',
        '--ap-licence-key-background: rgb(1, 2, 3); --ap-licence-key-font-family: serif',
      );
      expect(getComputedStyle(keyBox(old)).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(keyBox(old)).fontFamily).to.equal('serif');
      const both = await mount(
        'ap-license-key',
        '--ap-licence-key-background: rgb(1, 2, 3); --ap-license-key-background: rgb(4, 5, 6)',
      );
      expect(getComputedStyle(keyBox(both)).backgroundColor).to.equal('rgb(4, 5, 6)');
    });
  });
});
