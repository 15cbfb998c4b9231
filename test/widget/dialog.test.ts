import { expect, fixtureSync, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { ApDialog } from '../../widget/components/dialog/dialog';
import { nextEvent, until } from './support/fixtures';

ApDialog.define('ap-dialog');

/** The element that has focus, looking through shadow roots. */
function deepActive(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

const panel = (dialog: ApDialog) => dialog.shadowRoot!.querySelector('dialog')!;

async function mount(): Promise<{ opener: HTMLButtonElement; dialog: ApDialog; input: HTMLInputElement }> {
  // fixtureSync: a plain wrapper would make fixture() wait for an animation frame, which a background page never gets.
  const wrapper = fixtureSync<HTMLDivElement>(html`
    <div>
      <button id="opener">Open</button>
      <ap-dialog label="Rename the card" close-label="Close">
        <label for="name">Name</label><input id="name">
        <button slot="footer" id="cancel">Cancel</button>
        <button slot="footer" id="save" autofocus>Save</button>
      </ap-dialog>
    </div>`);
  const dialog = wrapper.querySelector('ap-dialog')!;
  await dialog.updateComplete;
  return { opener: wrapper.querySelector('#opener')!, dialog, input: wrapper.querySelector('#name')! };
}

describe('<ap-dialog>', () => {
  it('opens modally, labelled by its title, with focus on the autofocus element', async () => {
    const { opener, dialog } = await mount();
    opener.focus();
    await dialog.show();
    expect(panel(dialog).open).to.equal(true);
    expect(panel(dialog).matches(':modal')).to.equal(true);
    expect(panel(dialog).getAttribute('aria-labelledby')).to.equal('title');
    expect(dialog.shadowRoot!.getElementById('title')!.textContent).to.equal('Rename the card');
    expect(deepActive()!.id).to.equal('save');
    // Ends the fade-in at once: axe would measure colours half-way through it.
    panel(dialog)
      .getAnimations()
      .forEach((animation) => animation.finish());
    await expect(dialog).to.be.accessible();
  });

  it('returns focus to the opener when closed through the property', async () => {
    const { opener, dialog } = await mount();
    opener.focus();
    dialog.open = true;
    await dialog.updateComplete;
    dialog.open = false;
    await dialog.updateComplete;
    expect(panel(dialog).open).to.equal(false);
    expect(document.activeElement).to.equal(opener);
  });

  it('asks before closing on Escape and the close button; the owner may refuse', async () => {
    const { opener, dialog } = await mount();
    opener.focus();
    await dialog.show();
    const refuse = (event: Event) => event.preventDefault();
    dialog.addEventListener('ap-request-close', refuse);
    dialog.shadowRoot!.querySelector<HTMLButtonElement>('.close')!.click();
    expect(panel(dialog).open).to.equal(true);
    dialog.removeEventListener('ap-request-close', refuse);

    const request = nextEvent(dialog, 'ap-request-close');
    const closed = nextEvent(dialog, 'ap-dialog-close');
    await sendKeys({ press: 'Escape' });
    expect((await request).source).to.equal('escape');
    expect((await closed).source).to.equal('escape');
    await until(() => !panel(dialog).open, 2000, 'the dialog to close');
    expect(dialog.open).to.equal(false);
    expect(document.activeElement).to.equal(opener);
  });

  it('keeps Tab inside: close button, content, footer, and round again', async () => {
    const { dialog } = await mount();
    await dialog.show();
    const seen: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      await sendKeys({ press: 'Tab' });
      const active = deepActive()!;
      seen.push(active.id || active.className);
    }
    expect(seen).to.deep.equal(['close', 'name', 'cancel', 'save']);
  });
});
