import { TaskStatus } from '@lit/task';
import { html, nothing, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { PagedListController } from '../../controllers/paged-list-controller';
import { isAbort } from '../../internal/api-client';
import type { Localizer, MessageKey } from '../../internal/localizer';
import { problemText } from '../../internal/problem-text';

/** A failed load as a card: what went wrong in plain words, and "Try again". */
export function retryCard(message: string, retry: () => void, i18n: Localizer): TemplateResult {
  return html`
    <div class="card problem" part="card" role="alert">
      <p>${message}</p>
      <button class="button" part="button" type="button" @click=${retry}>${i18n.t('portal.retry')}</button>
    </div>`;
}

/** An empty list as a card: an icon, a title and a hint (and, say, a button after them). */
export function emptyCard(
  icon: SVGTemplateResult,
  title: string,
  hint: string,
  after: unknown = nothing,
): TemplateResult {
  return html`
    <div class="card empty" part="card">
      ${icon}
      <p class="empty-title">${title}</p>
      <p class="muted">${hint}</p>
      ${after}
    </div>`;
}

/** Under a paged list: "Load more" while there is a next page, or why the next page failed. */
export function loadMore<T>(
  list: PagedListController<T>,
  i18n: Localizer,
  labels: { more: MessageKey; loading: MessageKey },
): TemplateResult | typeof nothing {
  const { nextPage } = list;
  if (nextPage.status === TaskStatus.ERROR && !isAbort(nextPage.error)) {
    return retryCard(problemText(nextPage.error, i18n), () => list.loadMore(), i18n);
  }
  if (!list.nextCursor) return nothing;
  const loading = nextPage.status === TaskStatus.PENDING;
  return html`
    <div class="more">
      <button class="button secondary" part="button" type="button" aria-disabled=${loading ? 'true' : 'false'}
        @click=${() => list.loadMore()}>${i18n.t(loading ? labels.loading : labels.more)}</button>
    </div>`;
}
