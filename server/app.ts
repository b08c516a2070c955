import { createServer } from 'node:http';
import cors from '@fastify/cors';
import {
  collectionNames,
  deviceHeader,
  deviceIdSchema,
  type ErrorBody,
  type FieldIssue,
  type Me,
  type PushResponse,
  pullQuerySchema,
  pushBatchSchema,
  type RejectedDocument,
} from '@shared/schemas';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { z } from 'zod';
import { AuthenticationError, bearerTokenOf, RateLimitedError, requireBearerToken } from './auth/bearer';
import { PrincipalCache } from './auth/principal-cache';
import type { Principal } from './auth/tokens';
import type { ServerConfig } from './config';
import type { Storage } from './db';
import { StatisticsKeeper } from './db/statistics';
import { loggerOptions } from './logging';
import type { ChangeFeed } from './sync/change-feed';
import { PushGroups } from './sync/group-commit';
import { type PushRow, pullDocuments, pullTeamMembers } from './sync/repository';
import { StreamQuota } from './sync/stream-quota';
import { clipped, isClientWritable, issuesOf, validatePushRow } from './sync/validation';

/** Live events carry documents (up to 1,000 per event, see ChangeFeed): room for a few large ones. */
const MAX_STREAM_BUFFER_BYTES = 8 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
  ) {
    super(message);
  }
}

function sendError(reply: FastifyReply, error: HttpError) {
  const body: ErrorBody = { error: error.code, message: error.message };
  if (error.issues) body.issues = error.issues;
  return reply.code(error.statusCode).type('application/json').send(body);
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'unauthorized', 'Missing bearer token');
  return request.principal;
}

function collectionOf(params: unknown): string {
  const { collection } = params as { collection: string };
  if (!(collectionNames as readonly string[]).includes(collection)) {
    throw new HttpError(404, 'unknown-collection', `Unknown collection "${clipped(collection)}"`);
  }
  return collection;
}

/** The pushing or pulling device (shared/schemas/wire.ts `deviceHeader`); null when the client names none. */
function deviceOf(request: FastifyRequest): string | null {
  const header = request.headers[deviceHeader];
  if (header === undefined) return null;
  const parsed = deviceIdSchema.safeParse(header);
  if (!parsed.success) {
    throw new HttpError(
      400,
      'invalid-device',
      `Header ${deviceHeader} must be 1–100 letters, digits, _ or -`,
    );
  }
  return parsed.data;
}

/** The HTTP API of shared/schemas/wire.ts. All state lives in `storage`; `feed` only relays committed changes. */
export async function buildApp(
  storage: Storage,
  feed: ChangeFeed,
  config: Omit<ServerConfig, 'host' | 'port' | 'dataDir' | 'databaseUrl' | 'pgPoolMax'>,
) {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    // Our own node:http server: Node checks the header and request timeouts every `connectionsCheckingInterval`
    // (30 s by default, too coarse for a 10 s header timeout), which only its constructor takes.
    serverFactory: (handler) => {
      const server = createServer(
        {
          requestTimeout: config.requestTimeoutMs,
          headersTimeout: config.headersTimeoutMs,
          keepAliveTimeout: config.keepAliveTimeoutMs,
          connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
        },
        handler,
      );
      server.setTimeout(config.idleTimeoutMs);
      server.maxConnections = config.maxConnections;
      return server;
    },
    trustProxy: config.trustProxy,
    // Per-request logs would dominate the output under 200 syncing clients; errors and rejections are logged.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    // A malformed URL or an over-long route parameter: Fastify's own answers would echo the whole path.
    frameworkErrors: (error, _request, reply) =>
      sendError(reply, new HttpError(error.statusCode ?? 400, error.code, clipped(error.message))),
  });

  // Bearer tokens only, never cookies: any origin may call the API, and credentials are not allowed.
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', deviceHeader],
    credentials: false,
    maxAge: 600,
  });

  const principals = await PrincipalCache.start(storage);
  await requireBearerToken(app, principals, config);
  const streams = new StreamQuota({ perToken: config.streamsPerToken, perTenant: config.streamsPerTenant });
  const pushGroups = new PushGroups(storage);
  const statistics = new StatisticsKeeper(storage, (error) =>
    app.log.error({ err: error }, 'ANALYZE failed'),
  );

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) return sendError(reply, error);
    if (error instanceof RateLimitedError) {
      reply.header('retry-after', String(error.retryAfterSeconds));
      return sendError(reply, new HttpError(429, 'too-many-requests', error.message));
    }
    if (error instanceof AuthenticationError) {
      return sendError(reply, new HttpError(401, 'unauthorized', error.message));
    }
    if (error instanceof z.ZodError) {
      return sendError(reply, new HttpError(400, 'invalid-request', 'Invalid request', issuesOf(error)));
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(
          reply,
          new HttpError(413, 'payload-too-large', `Request body exceeds ${config.bodyLimitBytes} bytes`),
        );
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, new HttpError(400, 'invalid-json', clipped(error.message)));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, new HttpError(415, 'unsupported-media-type', 'Send application/json'));
    }
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return sendError(reply, new HttpError(400, 'bad-request', clipped(error.message)));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(
        reply,
        new HttpError(error.statusCode, error.code ?? 'bad-request', clipped(error.message)),
      );
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, new HttpError(500, 'internal', 'Internal server error'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new HttpError(
        404,
        'not-found',
        `No route ${request.method} ${clipped(request.url.split('?')[0] ?? '')}`,
      ),
    ),
  );

  app.get('/healthz', { config: { public: true } }, async (request, reply) => {
    try {
      await storage.query('SELECT 1');
      return { status: 'ok', database: storage.kind };
    } catch (error) {
      request.log.error({ err: error }, 'health check: database does not answer');
      return reply.code(503).send({ status: 'unavailable', database: storage.kind });
    }
  });

  app.get('/api/me', async (request): Promise<Me> => {
    const { tenantId, userId, name } = principalOf(request);
    return { tenantId, userId, name };
  });

  app.get('/api/sync/:collection/pull', async (request, reply) => {
    const { tenantId } = principalOf(request);
    const collection = collectionOf(request.params);
    const query = pullQuerySchema.safeParse(request.query);
    if (!query.success) {
      throw new HttpError(400, 'invalid-query', 'Invalid pull parameters', issuesOf(query.error));
    }
    const { seq, limit } = query.data;
    const page = isClientWritable(collection)
      ? await pullDocuments(storage, tenantId, collection, seq, limit, deviceOf(request))
      : await pullTeamMembers(storage, tenantId, seq, limit);
    return reply.type('application/json').send(page.json);
  });

  app.post('/api/sync/:collection/push', async (request): Promise<PushResponse> => {
    const { tenantId, userId } = principalOf(request);
    const collection = collectionOf(request.params);
    const device = deviceOf(request);
    if (!isClientWritable(collection)) {
      throw new HttpError(403, 'read-only', `Collection "${collection}" is read-only for clients`);
    }
    const body = pushBatchSchema.safeParse(request.body);
    if (!body.success) {
      throw new HttpError(400, 'invalid-push', 'Invalid push request', issuesOf(body.error));
    }
    const rejected: RejectedDocument[] = [];
    const rows: PushRow[] = [];
    const ids = new Set<string>();
    for (const row of body.data.rows) {
      const result = validatePushRow(collection, row);
      if (!result.ok) {
        rejected.push(result.rejected);
        continue;
      }
      const { document, assumedServerRev } = result.value;
      if (ids.has(document.id)) {
        // One batch holds one state per document; which of two would be meant is unknowable.
        const issue = { field: 'id', message: 'The same id appears twice in one push' };
        rejected.push({ id: document.id, reason: issue.message, issues: [issue] });
        continue;
      }
      ids.add(document.id);
      // The server decides authorship. A document stored other than pushed is not the device's own: it
      // pulls it back (origin null) like any other change, and so learns the server's value.
      const authoredAsPushed = document.data.updatedBy === userId;
      document.data.updatedBy = userId;
      rows.push({ document, assumedServerRev, origin: authoredAsPushed ? device : null });
    }
    const result = await pushGroups.push(tenantId, collection, rows);
    rejected.push(...result.rejected);
    if (rejected.length > 0) {
      request.log.warn(
        { tenantId, userId, collection, rejected: rejected.map(({ id, reason }) => ({ id, reason })) },
        'rejected pushed documents',
      );
    }
    statistics.recordWrites(result.accepted.length);
    return { accepted: result.accepted, conflicts: result.conflicts, rejected };
  });

  app.get('/api/sync/stream', async (request, reply) => {
    const principal = principalOf(request);
    const device = deviceOf(request);
    const place = streams.open(principal);
    if ('refused' in place) {
      // The client's EventSource retries; a stream closing elsewhere frees a place.
      reply.header('retry-after', '30');
      throw new HttpError(429, 'too-many-streams', place.refused);
    }
    reply.hijack();
    const raw = reply.raw;
    // Headers set by hooks (CORS) are not sent for a hijacked reply: copy them.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) raw.setHeader(name, value);
    }
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      stopWatchingTokens();
      place.release();
      unsubscribe();
      raw.end();
    };
    // Subscribe before the first byte: a client that treats the open as RESYNC then misses nothing after it.
    const unsubscribe = feed.subscribe(principal.tenantId, {
      device,
      onChange: (data) => {
        // A client that stopped reading would make us buffer without bound: drop it; it resyncs on reconnect.
        if (raw.writableLength > MAX_STREAM_BUFFER_BYTES) close();
        else raw.write(`event: change\ndata: ${data}\n\n`);
      },
      onInterrupted: close,
    });
    // A revoked token loses its stream as soon as this process learns of it (the token notification), and at
    // the latest at the next heartbeat (a notification lost with its session).
    const checkToken = (thenWrite?: string) =>
      principals
        .authenticate(bearerTokenOf(request) ?? '')
        .then((still) => {
          if (!still) close();
          else if (thenWrite !== undefined && !closed) raw.write(thenWrite);
        })
        .catch((error) => request.log.error({ err: error }, 'stream: token check failed'));
    const stopWatchingTokens = principals.onDropped(() => void checkToken());
    const heartbeat = setInterval(() => void checkToken(': heartbeat\n\n'), config.heartbeatMs);
    raw.on('close', close);
    // `retry`: after the server ends a stream (shutdown, lost LISTEN), clients come back within a second.
    raw.write('retry: 1000\n: connected\n\n');
  });

  // Open streams would keep `close()` waiting forever.
  app.addHook('preClose', async () => feed.interruptAll());

  return app;
}
