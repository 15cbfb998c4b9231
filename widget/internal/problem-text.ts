import { ApiError } from './api-client';
import type { Localizer } from './localizer';

/** A failed request in plain words: the network, or something else. */
export function problemText(error: unknown, i18n: Localizer): string {
  return error instanceof ApiError && error.code === 'network_error' ? i18n.t('errors.network_error') : i18n.t('errors.generic');
}
