import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext as NodeTestContext } from 'node:test';

/** A path for a file database in a temporary directory, removed when the test ends. */
export function tempDatabasePath(t: NodeTestContext, prefix = 'portal-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'portal.db');
}
