import type { ReactiveController, ReactiveElement } from 'lit';

/** How far from an edge of the strip the selected tab stays (the width of the fade). */
const EDGE_PX = 40;

/**
 * The tab strip on narrow screens: it scrolls sideways, shows that it does (the tabs
 * fade out at an edge with more tabs beyond it: `data-more-left` / `data-more-right`,
 * physical because they describe what the eye sees, in either direction), and keeps
 * the selected tab in view whenever it changes or the strip changes size.
 */
export class TabStripController implements ReactiveController {
  private list: HTMLElement | null = null;
  private selected: Element | null = null;
  private readonly resizeObserver = new ResizeObserver(() => this.refresh(true));
  private readonly onScroll = () => this.mark();

  constructor(private readonly host: ReactiveElement) {
    host.addController(this);
  }

  hostUpdated(): void {
    const list = this.host.renderRoot.querySelector<HTMLElement>('[role="tablist"]');
    if (list !== this.list) {
      this.list?.removeEventListener('scroll', this.onScroll);
      this.resizeObserver.disconnect();
      this.list = list;
      this.selected = null;
      if (list) {
        list.addEventListener('scroll', this.onScroll, { passive: true });
        this.resizeObserver.observe(list);
      }
    }
    this.refresh(false);
  }

  hostDisconnected(): void {
    this.resizeObserver.disconnect();
    this.list?.removeEventListener('scroll', this.onScroll);
    this.list = null;
  }

  /** Brings a newly selected tab into view (or the selected one, after a resize), then marks the edges. */
  private refresh(resized: boolean): void {
    const list = this.list;
    if (!list) return;
    const tab = list.querySelector<HTMLElement>('[aria-selected="true"]');
    if (tab && (resized || tab !== this.selected)) {
      this.selected = tab;
      reveal(list, tab);
    }
    this.mark();
  }

  private mark(): void {
    const list = this.list;
    if (!list) return;
    const bounds = list.getBoundingClientRect();
    const tabs = Array.from(list.children, (tab) => tab.getBoundingClientRect());
    list.toggleAttribute(
      'data-more-left',
      tabs.some((tab) => tab.left < bounds.left - 1),
    );
    list.toggleAttribute(
      'data-more-right',
      tabs.some((tab) => tab.right > bounds.right + 1),
    );
  }
}

/** Scrolls the strip (and nothing else: the page stays where it is) until `tab` is clear of the fading edges. */
function reveal(list: HTMLElement, tab: HTMLElement): void {
  const bounds = list.getBoundingClientRect();
  const rect = tab.getBoundingClientRect();
  const edge = Math.min(EDGE_PX, Math.max(0, (bounds.width - rect.width) / 2));
  let delta = 0;
  if (rect.left < bounds.left + edge) delta = rect.left - (bounds.left + edge);
  else if (rect.right > bounds.right - edge) delta = rect.right - (bounds.right - edge);
  if (Math.abs(delta) >= 1) list.scrollBy({ left: delta, behavior: 'instant' });
}
