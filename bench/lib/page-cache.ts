import Database from 'better-sqlite3';
import { statSync } from 'node:fs';

/** A database file kept in memory while a benchmark measures against it. */
export interface HeldFile {
  /** How much of the file is held (SQLite maps at most ~2 GB). */
  bytes: number;
  fileBytes: number;
  release(): void;
}

/**
 * Reads every page of a SQLite file through a memory map and keeps the map open, so
 * the file stays in the page cache, mapped, until `release()`.
 *
 * Why: a machine may reclaim page cache that looks cold on its own (Linux's DAMON
 * `pageout`, as on this project's VMs, pages out file pages no process maps once they
 * have gone a minute without a sampled access). Reads that cycle through 20,000
 * random orders of a 1.3 GB file touch each page rarely, so parts of it were paged
 * out between and during measurements: the server measured first read ~650 MB back
 * from disk and ran at 0.7× its usual speed, and later ones met a few MB/s of disk
 * reads in their p99. Mapped pages are not paged out, and every server reads the same
 * warm file. The servers themselves read it as they always do (their own connections).
 */
export function holdInMemory(path: string): HeldFile {
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    // The largest map this SQLite allows (SQLITE_MAX_MMAP_SIZE) is what the pragma answers.
    const mapped = Number(sqlite.pragma('mmap_size = 4294967296', { simple: true }));
    // quick_check reads every page of every table and index: through the map, each gets mapped.
    sqlite.pragma('quick_check', { simple: true });
    const fileBytes = statSync(path).size;
    return { bytes: Math.min(mapped, fileBytes), fileBytes, release: () => sqlite.close() };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
