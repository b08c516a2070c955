import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config';
import type { PrincipalCache } from './principal-cache';
import type { Principal } from './tokens';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** A route anyone may call without a token (health checks). Every other route needs one. */
    public?: boolean;
  }
}

export class AuthenticationError extends Error {}

/** A client over one of its limits: answered 429 with `Retry-After`. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  return request.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

const MINUTE_MS = 60_000;

/**
 * Deny by default: every route, matched or not, needs a valid bearer token unless its route config says
 * `public`. Runs in `onRequest`, before Fastify reads the body, so an unauthenticated client cannot make the
 * server read and parse megabytes; and it keys on the matched route, never on the raw URL text.
 *
 * Throttled with @fastify/rate-limit's manual limiters (in-process counters; per process behind a load
 * balancer): an address with more than `authFailuresPerMinute` failed authentications is answered 429 for
 * the rest of its minute, before any token lookup; a token sending more than `tokenRequestsPerMinute`
 * requests too. Public routes (/healthz) are never throttled.
 */
export async function requireBearerToken(
  app: FastifyInstance,
  principals: PrincipalCache,
  config: Pick<ServerConfig, 'authFailuresPerMinute' | 'tokenRequestsPerMinute'>,
) {
  await app.register(rateLimit, { global: false });
  const authFailures = app.createRateLimit({
    max: config.authFailuresPerMinute,
    timeWindow: MINUTE_MS,
    keyGenerator: (request) => `address:${request.ip}`,
  });
  const tokenRequests =
    config.tokenRequestsPerMinute > 0
      ? app.createRateLimit({
          max: config.tokenRequestsPerMinute,
          timeWindow: MINUTE_MS,
          keyGenerator: (request) => `token:${request.principal?.tokenId}`,
        })
      : undefined;

  const failed = async (request: FastifyRequest, message: string) => {
    const limit = await authFailures(request);
    if (!limit.isAllowed && limit.isExceeded) {
      throw new RateLimitedError('Too many failed authentications from this address', limit.ttlInSeconds);
    }
    throw new AuthenticationError(message);
  };

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return;
    const blocked = await authFailures(request, { increment: false });
    if (!blocked.isAllowed && blocked.isExceeded) {
      throw new RateLimitedError('Too many failed authentications from this address', blocked.ttlInSeconds);
    }
    const token = bearerTokenOf(request);
    if (!token) return failed(request, 'Missing bearer token');
    const principal = await principals.authenticate(token);
    if (!principal) return failed(request, 'Invalid or revoked token');
    request.principal = principal;
    const limit = await tokenRequests?.(request);
    if (limit && !limit.isAllowed && limit.isExceeded) {
      throw new RateLimitedError('Too many requests with this token', limit.ttlInSeconds);
    }
  });
}
