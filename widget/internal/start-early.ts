// Imported first by the entry (widget/index.ts), so that it runs before the rest of the entry is evaluated.
import { startHeadStart } from './head-start';

if (typeof document !== 'undefined') startHeadStart(document);
