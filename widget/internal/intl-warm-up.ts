let warmed = false;

/**
 * A page's first `Intl` date formatter costs Chromium 15–30 ms and its first currency
 * formatter a few more, whatever their language (ICU loads its data once; later
 * formatters take under a millisecond). The orders list makes both for its first row:
 * made here, once, in the task after the orders were asked for, that cost is paid while
 * their answer is on its way instead of after it arrived — and not earlier, where it
 * would hold up the session's answer. On localhost the answer is back before that task
 * ends and nothing is gained; on a real network the formatters are ready in time.
 */
export function warmUpFormatting(): void {
  if (warmed) return;
  warmed = true;
  // The next task, not an idle callback: a page that is never idle (timers, animations) would hold it back.
  setTimeout(() => {
    try {
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(0);
      new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' }).format(0);
    } catch {
      // Nothing to gain, nothing lost.
    }
  }, 0);
}
