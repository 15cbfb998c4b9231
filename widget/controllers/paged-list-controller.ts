import { Task, TaskStatus, initialState } from '@lit/task';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PortalServices } from '../context/portal-context';
import { isAbort } from '../internal/api-client';
import { firstPagePath } from '../internal/first-screen';

/** One page of a Portal API collection. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * A cursor-paginated Portal API collection (`/orders`, `/subscriptions`): loads the
 * first page whenever the services change (sign-in, language, `refresh()`),
 * appends the next page on "Load more", and remembers where the new items start so
 * the host can move focus to the first of them. Requests are aborted when the host
 * leaves the page and resumed when it comes back.
 */
export class PagedListController<T> implements ReactiveController {
  items: T[] = [];
  nextCursor: string | null = null;
  /** Index of the first item the last "Load more" added, until the host takes it. */
  private firstNew: number | null = null;

  readonly firstPage: Task<readonly [PortalServices | undefined, number], Page<T>>;
  readonly nextPage: Task<readonly [string | null, number], Page<T>>;

  constructor(
    host: ReactiveControllerHost,
    options: { path: string; services: () => PortalServices | undefined; pageSize: () => number },
  ) {
    host.addController(this);
    const report = (error: unknown) => {
      if (!isAbort(error)) options.services()?.reportError(error);
    };
    this.firstPage = new Task(host, {
      task: ([services, pageSize], { signal }) =>
        services ? services.api.get<Page<T>>(firstPagePath(options.path, pageSize), signal) : initialState,
      // The services object changes on sign-in, language and refresh(): each is a reason to load again.
      args: () => [options.services(), options.pageSize()] as const,
      onComplete: (page) => {
        this.items = page.data;
        this.nextCursor = page.nextCursor;
      },
      onError: report,
    });
    this.nextPage = new Task(host, {
      autoRun: false,
      task: ([cursor, pageSize], { signal }) =>
        options
          .services()!
          .api.get<Page<T>>(`${options.path}?limit=${pageSize}&cursor=${encodeURIComponent(cursor ?? '')}`, signal),
      args: () => [this.nextCursor, options.pageSize()] as const,
      onComplete: (page) => {
        this.firstNew = this.items.length;
        this.items = [...this.items, ...page.data];
        this.nextCursor = page.nextCursor;
      },
      onError: report,
    });
  }

  hostConnected(): void {
    // Moved within the page while loading: the abort on disconnect left the task failed.
    if (this.firstPage.status === TaskStatus.ERROR && isAbort(this.firstPage.error)) void this.firstPage.run();
  }

  hostDisconnected(): void {
    this.firstPage.abort();
    this.nextPage.abort();
  }

  loadMore(): void {
    if (this.nextPage.status !== TaskStatus.PENDING) void this.nextPage.run();
  }

  /** The index of the first item "Load more" added, once: the host focuses it after rendering. */
  takeFirstNew(): number | null {
    const index = this.firstNew;
    this.firstNew = null;
    return index;
  }
}
