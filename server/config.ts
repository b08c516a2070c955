/** Server settings from the environment (docs/contracts.md): HOST, PORT, DATA_DIR, DATABASE_URL. */
export type ServerConfig = {
  host: string;
  port: number;
  /** PGlite data directory; used when `databaseUrl` is not set. */
  dataDir: string;
  databaseUrl: string | undefined;
  bodyLimitBytes: number;
  /** Interval of SSE heartbeat comments; each also re-checks that the stream's token is still valid. */
  heartbeatMs: number;
  pgPoolMax: number;
  logLevel: string;
};

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    host: env.HOST || '127.0.0.1',
    port: intFromEnv(env, 'PORT', 8787),
    dataDir: env.DATA_DIR || './.fieldbook-server',
    databaseUrl: env.DATABASE_URL || undefined,
    bodyLimitBytes: intFromEnv(env, 'BODY_LIMIT_BYTES', 10 * 1024 * 1024),
    heartbeatMs: intFromEnv(env, 'SSE_HEARTBEAT_MS', 15_000),
    pgPoolMax: intFromEnv(env, 'PG_POOL_MAX', 20),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
