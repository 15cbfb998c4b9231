import type { ReactiveController, ReactiveElement } from 'lit';

/** How far from an edge of the strip the selected tab stays (the width of the fade). */
const EDGE_PX = 40;

/** How long a refresh waits for a frame before it runs anyway. */
export const REFRESH_TIMEOUT_MS = 100;

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
  /** The next refresh, when one is waiting (for a frame, or the time-out in a page that draws none). */
  private pending: { frame: number; timer: ReturnType<typeof setTimeout> } | null = null;

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
    // In the next frame, not now: measuring here would force a layout in the middle of the
    // update (the first one, signed in, costs tens of ms on a phone and is done again once
    // the orders arrive), while the frame lays the strip out anyway. A page in a background
    // tab draws no frames: there the time-out does it.
    this.pending ??= {
      frame: requestAnimationFrame(() => this.refreshPending()),
      timer: setTimeout(() => this.refreshPending(), REFRESH_TIMEOUT_MS),
    };
  }

  hostDisconnected(): void {
    this.cancelPending();
    this.resizeObserver.disconnect();
    this.list?.removeEventListener('scroll', this.onScroll);
    this.list = null;
  }

  private refreshPending(): void {
    this.cancelPending();
    this.refresh(false);
  }

  private cancelPending(): void {
    if (!this.pending) return;
    cancelAnimationFrame(this.pending.frame);
    clearTimeout(this.pending.timer);
    this.pending = null;
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
