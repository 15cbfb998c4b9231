import type { TestContext } from './app';

/** The bindings `@hono/node-server` hands the app, with a socket whose peer is `address`. */
export const fromPeer = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** A scrape of `/metrics` from this machine (a loopback peer), with optional headers. */
export const scrape = (t: TestContext, headers: Record<string, string> = {}, peer = '127.0.0.1') =>
  t.app.request('/metrics', { headers }, fromPeer(peer));

/** One sample of the text format: its name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format into samples (comments skipped). */
export function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The value of the sample with this name and (at least) these labels; undefined when there is none. */
export function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  return parseSamples(text).find(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  )?.value;
}

/** Scrapes and returns the body, failing unless the scrape is answered 200. */
export async function metricsText(t: TestContext): Promise<string> {
  const response = await scrape(t);
  if (response.status !== 200) throw new Error(`/metrics: ${response.status} ${await response.text()}`);
  return response.text();
}
