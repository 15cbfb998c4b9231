/** Reads a positive number from the environment, so a quick smoke run can shrink a benchmark. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`${name} must be a non-negative number, got "${raw}".`);
  }
  return value;
}

/** Whether an environment flag is set to something other than empty, `0` or `false`. */
export function envFlag(name: string): boolean {
  const raw = process.env[name]?.trim().toLowerCase();
  return raw !== undefined && raw !== '' && raw !== '0' && raw !== 'false';
}
