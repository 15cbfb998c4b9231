// Loaded with `node --import ./test/helpers/module-log.mjs` (after `--import tsx`):
// registers module hooks that append the URL of every module the process loads,
// one per line, to the file named by MODULE_LOG. Registered after tsx, so these
// hooks run first and see every module, TypeScript ones included.
import { register } from 'node:module';

if (process.env.MODULE_LOG) {
  register('./module-log-hooks.mjs', import.meta.url, { data: { file: process.env.MODULE_LOG } });
}
