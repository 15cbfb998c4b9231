/**
 * `import type {} from 'account-portal/jsx'` once in a TSX project: `<account-portal>`
 * becomes a known JSX element with its attributes and `onap-*` event props, for
 * React 18/19 (`React.JSX`) and runtimes that read the global `JSX` namespace.
 */
import type { AccountPortalJsxProps } from './dist/types/widget/jsx';

export type { AccountPortalJsxProps };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'account-portal': AccountPortalJsxProps;
    }
  }
}
