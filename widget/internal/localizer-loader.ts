/**
 * i18next and the English messages are a chunk of their own (about 25 kB gzip, the
 * largest part of the first paint). Every portal needs it before it shows anything
 * but its loading card: the head start fetches it (internal/head-start.ts), else the
 * first portal that connects.
 */
let localizerModule: Promise<typeof import('./localizer')> | undefined;

/** The localizer chunk, fetched once; a failed fetch is forgotten, so the next call tries again. */
export function loadLocalizer(): Promise<typeof import('./localizer')> {
  if (!localizerModule) {
    const loading = import('./localizer');
    localizerModule = loading;
    loading.catch(() => {
      if (localizerModule === loading) localizerModule = undefined;
    });
  }
  return localizerModule;
}
