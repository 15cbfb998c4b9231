import type { Metric, Registry } from 'prom-client';

/** Request latency buckets in seconds: this server answers most requests in a few milliseconds. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Methods counted by name; any other method a client sends is counted as `OTHER`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

type Labels = { method: string; route: string; status: string };

/** One (method, route, status) series: plain numbers, so counting a request allocates nothing. */
class Series {
  count = 0;
  sum = 0;
  /** Requests per bucket (not cumulative; those slower than the last bound are only in `count`). */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length);
  constructor(readonly labels: Labels) {}
}

/**
 * The HTTP request counter and latency histogram: `portal_http_requests_total` and
 * `portal_http_request_duration_seconds`, by method, route pattern and status.
 *
 * A request adds to plain numbers of its series, found through three map look-ups
 * without building a key — about 10 ns against the microsecond prom-client's own
 * `inc` and `observe` take to hash their labels and allocate. prom-client still
 * writes the text format: it formats any registered metric by what its `get()`
 * answers, and these two answer from the numbers at scrape time.
 */
export class RequestMetrics {
  // route → method → status → series
  readonly #index = new Map<string, Map<string, Map<number, Series>>>();
  readonly #series: Series[] = [];

  constructor(registry: Registry) {
    const series = this.#series;
    const counter = {
      name: 'portal_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({ ...counter, values: series.map((s) => ({ labels: s.labels, value: s.count })) }),
    };
    const histogram = {
      name: 'portal_http_request_duration_seconds',
      help: 'Time from the request reaching the app to its response, by method, route pattern and status.',
      type: 'histogram',
      aggregator: 'sum',
      get: async () => ({ ...histogram, values: series.flatMap(histogramValues) }),
    };
    registry.registerMetric(counter as unknown as Metric);
    registry.registerMetric(histogram as unknown as Metric);
  }

  /** Counts one answered request and its time in seconds. */
  served(method: string, route: string, status: number, seconds: number): void {
    const series = this.#find(METHODS.has(method) ? method : 'OTHER', route, status);
    series.count++;
    series.sum += seconds;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]) bucket++;
    if (bucket < LATENCY_BUCKETS.length) series.buckets[bucket]++;
  }

  #find(method: string, route: string, status: number): Series {
    let byMethod = this.#index.get(route);
    if (!byMethod) this.#index.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) {
      series = new Series({ method, route, status: String(status) });
      byStatus.set(status, series);
      this.#series.push(series);
    }
    return series;
  }
}

/** A series as prom-client's histograms give theirs: cumulative buckets, `+Inf`, sum and count. */
function histogramValues(series: Series) {
  const name = 'portal_http_request_duration_seconds';
  let cumulative = 0;
  const buckets = LATENCY_BUCKETS.map((le, i) => {
    cumulative += series.buckets[i];
    return { metricName: `${name}_bucket`, labels: { ...series.labels, le }, value: cumulative };
  });
  return [
    ...buckets,
    { metricName: `${name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count },
    { metricName: `${name}_sum`, labels: series.labels, value: series.sum },
    { metricName: `${name}_count`, labels: series.labels, value: series.count },
  ];
}
