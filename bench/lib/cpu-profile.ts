import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** The parts of a V8 `.cpuprofile` (as written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

export interface ProfileLine {
  /** `function (file:line)`, or a V8 pseudo-frame such as `(garbage collector)`. */
  frame: string;
  selfMs: number;
  /** Time with this frame anywhere on the stack (counted once per sample). */
  totalMs: number;
}

/**
 * Self and inclusive time per function of a CPU profile, heaviest first. Frames are
 * keyed by function and location, so the same function reached by different paths adds up.
 */
export function summariseProfile(path: string, root = process.cwd()): { totalMs: number; lines: ProfileLine[] } {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (frame: CallFrame) => {
    if (!frame.url) return frame.functionName || '(anonymous)';
    const file = frame.url.startsWith('file://') ? relative(root, new URL(frame.url).pathname) : frame.url;
    return `${frame.functionName || '(anonymous)'} (${file}:${frame.lineNumber + 1})`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const leaf = label(byId.get(id)!.callFrame);
    self.set(leaf, (self.get(leaf) ?? 0) + ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = label(byId.get(at)!.callFrame);
      if (!seen.has(frame)) total.set(frame, (total.get(frame) ?? 0) + ms);
      seen.add(frame);
    }
  });
  const lines = [...total.entries()].map(([frame, t]) => ({ frame, selfMs: self.get(frame) ?? 0, totalMs: t }));
  return { totalMs, lines };
}

/** Prints the heaviest frames by self time and by inclusive time. */
export function printProfile(path: string, top = 25): void {
  const { totalMs, lines } = summariseProfile(path);
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`;
  console.log(`${path}: ${(totalMs / 1000).toFixed(1)} s sampled`);
  console.log('\n  self time');
  for (const l of [...lines].sort((a, b) => b.selfMs - a.selfMs).slice(0, top))
    console.log(`  ${pct(l.selfMs)}  ${l.frame}`);
  console.log('\n  inclusive time');
  for (const l of [...lines].sort((a, b) => b.totalMs - a.totalMs).slice(0, top))
    console.log(`  ${pct(l.totalMs)}  ${l.frame}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv[2]) {
    console.error('usage: tsx bench/lib/cpu-profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  printProfile(process.argv[2], Number(process.argv[3] ?? 25));
}
