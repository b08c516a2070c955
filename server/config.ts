/**
 * Server settings from the environment (README "Sync server", docs/security.md). Every limit has a default
 * safe for a server reachable from a team's network.
 */
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
  /**
   * PostgreSQL: how often the LISTEN session is asked `SELECT 1`; no answer within as long means it is lost
   * (a proxy or failover that drops it silently sends no end, and notifications would stop for good).
   */
  listenProbeMs: number;
  logLevel: string;
  /** Time to receive a whole request, headers and body (a push of BODY_LIMIT_BYTES on a slow link). */
  requestTimeoutMs: number;
  /** Time to receive a request's headers: a client trickling them is cut off (slowloris). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after its last response. */
  keepAliveTimeoutMs: number;
  /** A connection on which nothing is read or written for this long is closed (above the SSE heartbeat). */
  idleTimeoutMs: number;
  /** Open connections per process; more are closed at once. */
  maxConnections: number;
  /** Failed authentications per client address and minute; beyond, that address gets 429 for the minute. */
  authFailuresPerMinute: number;
  /** Requests per token and minute (0: no limit); far above what a syncing device sends. */
  tokenRequestsPerMinute: number;
  /** Open change streams (GET /api/sync/stream) per token and per tenant, per process. */
  streamsPerToken: number;
  streamsPerTenant: number;
  /** Fastify's `trustProxy`: whose X-Forwarded-For to believe for the client address (behind a TLS proxy). */
  trustProxy: boolean | string;
};

/** See ServerConfig.listenProbeMs. */
export const DEFAULT_LISTEN_PROBE_MS = 30_000;

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min)
    throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`);
  return value;
}

function trustProxyFromEnv(raw: string | undefined): ServerConfig['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  // Addresses or CIDR ranges of the proxies, comma-separated ("127.0.0.1", "loopback", "10.0.0.0/8").
  return raw;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const config: ServerConfig = {
    host: env.HOST || '127.0.0.1',
    port: intFromEnv(env, 'PORT', 8787),
    dataDir: env.DATA_DIR || './.fieldbook-server',
    databaseUrl: env.DATABASE_URL || undefined,
    bodyLimitBytes: intFromEnv(env, 'BODY_LIMIT_BYTES', 10 * 1024 * 1024, 1),
    heartbeatMs: intFromEnv(env, 'SSE_HEARTBEAT_MS', 15_000, 1),
    pgPoolMax: intFromEnv(env, 'PG_POOL_MAX', 20, 1),
    listenProbeMs: intFromEnv(env, 'LISTEN_PROBE_MS', DEFAULT_LISTEN_PROBE_MS, 100),
    logLevel: env.LOG_LEVEL || 'info',
    requestTimeoutMs: intFromEnv(env, 'REQUEST_TIMEOUT_MS', 60_000, 1),
    headersTimeoutMs: intFromEnv(env, 'HEADERS_TIMEOUT_MS', 10_000, 1),
    keepAliveTimeoutMs: intFromEnv(env, 'KEEP_ALIVE_TIMEOUT_MS', 5_000, 1),
    idleTimeoutMs: intFromEnv(env, 'CONNECTION_IDLE_TIMEOUT_MS', 120_000, 1),
    maxConnections: intFromEnv(env, 'MAX_CONNECTIONS', 1000, 1),
    authFailuresPerMinute: intFromEnv(env, 'AUTH_FAILURES_PER_MINUTE', 30, 1),
    tokenRequestsPerMinute: intFromEnv(env, 'TOKEN_REQUESTS_PER_MINUTE', 6000),
    streamsPerToken: intFromEnv(env, 'STREAMS_PER_TOKEN', 10, 1),
    streamsPerTenant: intFromEnv(env, 'STREAMS_PER_TENANT', 200, 1),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
  };
  if (config.headersTimeoutMs > config.requestTimeoutMs)
    throw new Error('HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS');
  if (config.idleTimeoutMs <= config.heartbeatMs)
    throw new Error(
      'CONNECTION_IDLE_TIMEOUT_MS must exceed SSE_HEARTBEAT_MS (streams are idle between heartbeats)',
    );
  return config;
}
