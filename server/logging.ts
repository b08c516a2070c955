import type { FastifyServerOptions } from 'fastify';
import { clipped } from './sync/validation';

/**
 * How errors are logged. Pino's default serializer copies every property of an error, and database errors
 * carry the whole statement and its parameters (a push's JSON, megabytes of client input): keep the type,
 * SQLSTATE code, clipped message and stack instead.
 */
function serializeError(error: Error) {
  const { code } = error as { code?: unknown };
  return {
    type: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: clipped(error.message, 1000),
    stack: clipped(error.stack ?? '', 4000),
  };
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return { level, serializers: { err: serializeError } };
}
