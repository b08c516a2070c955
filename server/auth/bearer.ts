import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Storage } from '../db';
import { authenticate, type Principal } from './tokens';

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

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  return request.headers.authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/**
 * Deny by default: every route, matched or not, needs a valid bearer token unless its route config says
 * `public`. Runs in `onRequest`, before Fastify reads the body, so an unauthenticated client cannot make the
 * server read and parse megabytes; and it keys on the matched route, never on the raw URL text.
 */
export function requireBearerToken(app: FastifyInstance, storage: Storage) {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public) return;
    const token = bearerTokenOf(request);
    if (!token) throw new AuthenticationError('Missing bearer token');
    const principal = await authenticate(storage, token);
    if (!principal) throw new AuthenticationError('Invalid or revoked token');
    request.principal = principal;
  });
}
