import { z } from 'zod';
import { isLoopbackHost } from './lib/loopback';
import { parseTrustProxy } from './lib/client-ip';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './lib/http-server';

const port = z.coerce.number().int().min(0).max(65_535);

// An empty variable (`POSTMARK_SERVER_TOKEN=` in an env file) counts as unset.
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** `[http(s)://]host[:port]`, such as `127.0.0.1:9025` or `https://postmark.internal`. */
const API_HOST = /^(?:(https?):\/\/)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?\/?$/;
const ADDRESS = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+$/;

/** `postgres://` or `postgresql://` with a host; never echoed in an error (it may hold a password). */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: port.default(8787),
    DEMO_PORT: z.preprocess(unsetIfEmpty, port.optional()),
    WIDGET_BUILD: z.preprocess(unsetIfEmpty, z.enum(['auto', 'off']).default('auto')),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_PATH: z.string().min(1).default('data/portal.db'),
    DATABASE_URL: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .refine(isPostgresUrl, 'Use a PostgreSQL URL such as postgres://user:password@host:5432/portal.')
        .optional(),
    ),
    DATABASE_POOL_SIZE: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(1000).default(10)),
    DATABASE_STATEMENT_TIMEOUT_MS: z.preprocess(
      unsetIfEmpty,
      z.coerce.number().int().min(0).max(86_400_000).default(30_000),
    ),
    PUBLIC_BASE_URL: z.url().optional(),
    DEMO_API_USER: z.string().min(1).default('demo'),
    DEMO_API_PASSWORD: z.string().min(8).default('demo-password'),
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((value, ctx) => {
        const parsed = parseTrustProxy(value);
        if ('value' in parsed) return parsed.value;
        ctx.addIssue({ code: 'custom', message: parsed.problem });
        return z.NEVER;
      }),
    REQUEST_TIMEOUT_SECONDS: z.preprocess(
      unsetIfEmpty,
      z.coerce
        .number()
        .int()
        .min(1)
        .max(3600)
        .default(DEFAULT_HTTP_LIMITS.requestTimeoutMs / 1000),
    ),
    MAX_CONNECTIONS: z.preprocess(
      unsetIfEmpty,
      z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_HTTP_LIMITS.maxConnections),
    ),
    PAYMENT_GATEWAY: z.preprocess(unsetIfEmpty, z.enum(['test', 'stripe']).default('test')),
    STRIPE_SECRET_KEY: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .regex(
          /^(?:sk|rk)_(?:test|live)_[A-Za-z0-9_]+$/,
          'Not a Stripe secret key: it starts with sk_test_ or sk_live_ (or rk_ for a restricted key).',
        )
        .optional(),
    ),
    STRIPE_PUBLISHABLE_KEY: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .regex(/^pk_(?:test|live)_[A-Za-z0-9_]+$/, 'Not a Stripe publishable key: it starts with pk_test_ or pk_live_.')
        .optional(),
    ),
    STRIPE_WEBHOOK_SECRET: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .regex(/^whsec_[A-Za-z0-9+/=_-]+$/, 'Not a Stripe webhook signing secret: it starts with whsec_.')
        .optional(),
    ),
    STRIPE_API_HOST: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .regex(API_HOST, 'Use host:port or a URL such as https://host[:port], without a path.')
        .optional(),
    ),
    METRICS_TOKEN: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .regex(
          /^[A-Za-z0-9._~+/=-]{32,256}$/,
          'Use 32–256 letters, digits or ._~+/=- (such as the output of `openssl rand -hex 32`).',
        )
        .optional(),
    ),
    LOG_FORMAT: z.preprocess(unsetIfEmpty, z.enum(['text', 'json']).default('text')),
    LOG_REQUESTS: z.preprocess(unsetIfEmpty, z.enum(['true', 'false', '1', '0']).default('false')),
    ALLOW_TEST_GATEWAY: z.enum(['true', 'false', '1', '0']).default('false'),
    THEME_EDITOR: z.preprocess(unsetIfEmpty, z.enum(['true', 'false', '1', '0']).optional()),
    RENEWAL_CONCURRENCY: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(256).optional()),
    RENEWAL_RATE_LIMIT: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(10_000).optional()),
    RENEWAL_INTERVAL_SECONDS: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(5).max(3600).default(60)),
    POSTMARK_SERVER_TOKEN: z.preprocess(unsetIfEmpty, z.string().trim().optional()),
    POSTMARK_API_HOST: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .regex(API_HOST, 'Use host:port or a URL such as https://host[:port], without a path.')
        .optional(),
    ),
    POSTMARK_MESSAGE_STREAM: z.preprocess(unsetIfEmpty, z.string().trim().default('outbound')),
    EMAIL_FROM: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .regex(ADDRESS, "Use a plain address such as portal@shop.example (the store's name is added).")
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.PAYMENT_GATEWAY === 'stripe') checkStripeKeys(env, ctx);
    if (env.NODE_ENV === 'production' && env.POSTMARK_SERVER_TOKEN && !env.EMAIL_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['EMAIL_FROM'],
        message:
          'Required in production when POSTMARK_SERVER_TOKEN is set: the address emails are sent from ' +
          '(a confirmed Postmark sender signature or domain).',
      });
    }
  });

const stripeVariables = {
  STRIPE_SECRET_KEY: 'the secret key (sk_test_… or sk_live_…) from Developers → API keys',
  STRIPE_PUBLISHABLE_KEY: 'the publishable key (pk_test_… or pk_live_…) from Developers → API keys',
  STRIPE_WEBHOOK_SECRET: 'the signing secret (whsec_…) of the webhook endpoint you added for /webhooks/stripe',
} as const;

/** With `PAYMENT_GATEWAY=stripe`: all three keys, of one mode, and live keys only in production. */
function checkStripeKeys(
  env: Partial<Record<keyof typeof stripeVariables | 'NODE_ENV', string>>,
  ctx: z.RefinementCtx,
) {
  for (const [name, what] of Object.entries(stripeVariables)) {
    if (!env[name as keyof typeof stripeVariables]) {
      ctx.addIssue({ code: 'custom', path: [name], message: `Required with PAYMENT_GATEWAY=stripe: ${what}.` });
    }
  }
  const secretLive = env.STRIPE_SECRET_KEY ? stripeKeyIsLive(env.STRIPE_SECRET_KEY) : undefined;
  const publishableLive = env.STRIPE_PUBLISHABLE_KEY ? stripeKeyIsLive(env.STRIPE_PUBLISHABLE_KEY) : undefined;
  if (secretLive !== undefined && publishableLive !== undefined && secretLive !== publishableLive) {
    ctx.addIssue({
      code: 'custom',
      path: ['STRIPE_PUBLISHABLE_KEY'],
      message:
        'The secret key and the publishable key are of different modes (one test, one live). Use a pair from one mode.',
    });
  }
  if (env.NODE_ENV !== 'production' && (secretLive || publishableLive)) {
    ctx.addIssue({
      code: 'custom',
      path: [secretLive ? 'STRIPE_SECRET_KEY' : 'STRIPE_PUBLISHABLE_KEY'],
      message:
        'A live Stripe key outside production (NODE_ENV is not "production"). Use your test-mode keys (sk_test_…, pk_test_…).',
    });
  }
}

const stripeKeyIsLive = (key: string) => /^(?:sk|rk|pk)_live_/.test(key);

export interface Env {
  production: boolean;
  port: number;
  host: string;
  databasePath: string;
  /**
   * PostgreSQL instead of the SQLite file, with `DATABASE_URL`; null without it (then the
   * SQLite file at `databasePath`).
   */
  postgres: PostgresEnv | null;
  publicBaseUrl: string;
  /**
   * The port of the demo merchant site (another origin than the portal; demo mode
   * only). 8788 by default, or a free port when `PORT` is 0.
   */
  demoPort: number;
  /** `auto`: `npm start` builds the widget bundle when it is missing or older than widget/; `off`: never. */
  widgetBuild: 'auto' | 'off';
  demoCredentials: { user: string; password: string };
  /**
   * Take client IPs from `X-Forwarded-For` as the trusted proxies wrote it: a number of
   * hops (0: never), or the proxies' addresses and CIDR ranges. Only behind your own proxies.
   */
  trustProxy: number | string[];
  /** Node HTTP server limits: request timeout, connection cap. */
  http: HttpLimits;
  /** The payment processor adapter: the built-in `test` gateway or `stripe`. */
  paymentGateway: 'test' | 'stripe';
  /** Stripe's keys and API host, with `PAYMENT_GATEWAY=stripe`. */
  stripe: StripeEnv | null;
  /** Let production run with the test gateway (a staging system that must never take real money). */
  allowTestGateway: boolean;
  /**
   * Serve the theme editor at `/theme-editor` (`THEME_EDITOR`): outside production unless
   * `false`, in production only when `true` (or `npm start -- --theme-editor`).
   */
  themeEditor: boolean;
  /** The pause between renewal runs when nothing more was due. */
  renewalIntervalMs: number;
  /** Renewals in flight at once (`RENEWAL_CONCURRENCY`). */
  renewalConcurrency: number;
  /** The most renewals started per second (`RENEWAL_RATE_LIMIT`); undefined: no ceiling. */
  renewalRatePerSecond: number | undefined;
  email: EmailEnv;
  /** The bearer token `GET /metrics` asks for (`METRICS_TOKEN`); null: loopback only. Never log it. */
  metricsToken: string | null;
  /** `LOG_FORMAT`: `text` lines for people (the default) or one JSON object per line. */
  logFormat: 'text' | 'json';
  /** `LOG_REQUESTS`: one log line per answered request. */
  logRequests: boolean;
}

/** The PostgreSQL database (`DATABASE_URL`, `DATABASE_POOL_SIZE`, `DATABASE_STATEMENT_TIMEOUT_MS`). */
export interface PostgresEnv {
  /** May hold a password: never log it. */
  url: string;
  poolSize: number;
  /** 0: no limit. */
  statementTimeoutMs: number;
}

/** Stripe's keys and API host (`PAYMENT_GATEWAY=stripe`). */
export interface StripeEnv {
  /** Never log it. */
  secretKey: string;
  publishableKey: string;
  /** Never log it. */
  webhookSecret: string;
  /** Live-mode keys (production only). */
  live: boolean;
  /** Another Stripe API host (`STRIPE_API_HOST`), such as the local fake. */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
}

/** How email is sent: through Postmark when a server token is set, otherwise into the local outbox. */
export interface EmailEnv {
  /** The address every email is sent from, behind the store's name. */
  from: string;
  postmark: PostmarkEnv | null;
}

export interface PostmarkEnv {
  /** The server API token. Never log it. */
  serverToken: string;
  messageStream: string;
  /** Where the API is, when `POSTMARK_API_HOST` overrides `api.postmarkapp.com`. */
  requestHost?: string;
  useHttps?: boolean;
}

/**
 * Reads `POSTMARK_API_HOST`. A scheme is honoured; without one, a loopback host
 * (a local fake Postmark in tests) is reached over plain HTTP and any other host
 * over HTTPS, so the server token never crosses a network in the clear by accident.
 */
export function parseApiHost(value: string): { requestHost: string; useHttps: boolean } {
  const match = API_HOST.exec(value);
  if (!match) throw new Error(`Not an API host: ${value}`);
  const [, scheme, host, port = ''] = match;
  return { requestHost: host + port, useHttps: scheme ? scheme.toLowerCase() === 'https' : !isLoopbackHost(host) };
}

/**
 * How hard renewals push the processor. The test gateway answers in-process: 4
 * in flight, no ceiling. Stripe answers an off-session charge in 300–500 ms: 64
 * in flight, and at most 80 charges a second with live keys (Stripe allows 100
 * requests a second by default) or 20 with test keys (test mode allows 25).
 * `RENEWAL_RATE_LIMIT=0` removes the ceiling (after Stripe raised your limit).
 */
function renewalPace(gateway: 'test' | 'stripe', secretKey: string | undefined, concurrency?: number, rate?: number) {
  const stripe = gateway === 'stripe';
  const ceiling = rate ?? (stripe ? (stripeKeyIsLive(secretKey ?? '') ? 80 : 20) : 0);
  return {
    renewalConcurrency: concurrency ?? (stripe ? 64 : 4),
    renewalRatePerSecond: ceiling > 0 ? ceiling : undefined,
  };
}

/** Reads `STRIPE_API_HOST` like `POSTMARK_API_HOST` (loopback without a scheme is plain http), split for the Stripe client. */
export function parseStripeApiHost(value: string): NonNullable<StripeEnv['api']> {
  const { requestHost, useHttps } = parseApiHost(value);
  const match = /^(.*?)(?::(\d+))?$/.exec(requestHost)!;
  return {
    host: match[1].replace(/^\[|\]$/g, ''),
    port: match[2] ? Number(match[2]) : useHttps ? 443 : 80,
    protocol: useHttps ? 'https' : 'http',
  };
}

/** Reads the environment once, failing fast with every problem in one message. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  const shownHost = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  return {
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    databasePath: env.DATABASE_PATH,
    postgres: env.DATABASE_URL
      ? {
          url: env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
        }
      : null,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://${shownHost}:${env.PORT}`).replace(/\/+$/, ''),
    demoPort: env.DEMO_PORT ?? (env.PORT === 0 ? 0 : 8788),
    widgetBuild: env.WIDGET_BUILD,
    demoCredentials: { user: env.DEMO_API_USER, password: env.DEMO_API_PASSWORD },
    trustProxy: env.TRUST_PROXY,
    http: { requestTimeoutMs: env.REQUEST_TIMEOUT_SECONDS * 1000, maxConnections: env.MAX_CONNECTIONS },
    paymentGateway: env.PAYMENT_GATEWAY,
    stripe:
      env.PAYMENT_GATEWAY === 'stripe'
        ? {
            secretKey: env.STRIPE_SECRET_KEY!,
            publishableKey: env.STRIPE_PUBLISHABLE_KEY!,
            webhookSecret: env.STRIPE_WEBHOOK_SECRET!,
            live: stripeKeyIsLive(env.STRIPE_SECRET_KEY!),
            ...(env.STRIPE_API_HOST && { api: parseStripeApiHost(env.STRIPE_API_HOST) }),
          }
        : null,
    allowTestGateway: env.ALLOW_TEST_GATEWAY === 'true' || env.ALLOW_TEST_GATEWAY === '1',
    metricsToken: env.METRICS_TOKEN ?? null,
    logFormat: env.LOG_FORMAT,
    logRequests: env.LOG_REQUESTS === 'true' || env.LOG_REQUESTS === '1',
    themeEditor:
      env.THEME_EDITOR === undefined
        ? env.NODE_ENV !== 'production'
        : env.THEME_EDITOR === 'true' || env.THEME_EDITOR === '1',
    renewalIntervalMs: env.RENEWAL_INTERVAL_SECONDS * 1000,
    ...renewalPace(env.PAYMENT_GATEWAY, env.STRIPE_SECRET_KEY, env.RENEWAL_CONCURRENCY, env.RENEWAL_RATE_LIMIT),
    email: {
      from: env.EMAIL_FROM ?? 'portal@localhost',
      postmark: env.POSTMARK_SERVER_TOKEN
        ? {
            serverToken: env.POSTMARK_SERVER_TOKEN,
            messageStream: env.POSTMARK_MESSAGE_STREAM,
            ...(env.POSTMARK_API_HOST && parseApiHost(env.POSTMARK_API_HOST)),
          }
        : null,
    },
  };
}
