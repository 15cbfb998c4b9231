import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);

const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: port.default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z.string().min(1).default('data/portal.db'),
  PUBLIC_BASE_URL: z.url().optional(),
  DEMO_API_USER: z.string().min(1).default('demo'),
  DEMO_API_PASSWORD: z.string().min(8).default('demo-password'),
});

export interface Env {
  production: boolean;
  port: number;
  host: string;
  databasePath: string;
  publicBaseUrl: string;
  demoCredentials: { user: string; password: string };
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
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://${shownHost}:${env.PORT}`).replace(/\/+$/, ''),
    demoCredentials: { user: env.DEMO_API_USER, password: env.DEMO_API_PASSWORD },
  };
}
