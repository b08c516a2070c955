import { z } from 'zod';
import { collectionNames } from './collections';
import { revision } from './fields';

/**
 * The HTTP replication protocol between `shared/sync` (client) and `server/`.
 *
 *   GET  /healthz                                   200 when the database answers
 *   GET  /api/me                                    → Me
 *   GET  /api/sync/:collection/pull?seq=N&limit=M   → PullResponse (documents with seq > N, oldest first)
 *   POST /api/sync/:collection/push   PushRequest   → PushResponse
 *   GET  /api/sync/stream                           text/event-stream of StreamEvent (`event: change`)
 *
 * Every /api route needs `Authorization: Bearer <token>`; errors answer with ErrorBody. A client names
 * itself with the `X-Fieldbook-Device` header (deviceHeader): pulls and the stream then leave out the
 * documents whose current state that device pushed — it has them, and the push answer gave their revision.
 * A pushed row is accepted when the server has no document with that id, or when
 * `assumedMasterState.serverRev` equals the current `serverRev`; otherwise the current
 * state comes back in `conflicts`. Accepted documents get `serverRev` = their new sequence number,
 * listed in `accepted`. docs/replication.md describes the whole protocol.
 */
export const deviceHeader = 'x-fieldbook-device';
/** A device id: RxDB's storage token of the client's database (stable across restarts, new per database). */
export const deviceIdSchema = z.string().regex(/^[\w-]{1,100}$/);
export const collectionParam = z.enum(collectionNames as [string, ...string[]]);

export const checkpointSchema = z.object({ seq: revision });
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** A document on the wire: the collection's fields plus RxDB's deletion flag. Validated per collection. */
export const wireDocumentSchema = z.looseObject({ id: z.string(), _deleted: z.boolean() });
export type WireDocument = z.infer<typeof wireDocumentSchema> & Record<string, unknown>;

export const pullQuerySchema = z.object({
  seq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

export const pullResponseSchema = z.object({
  documents: z.array(wireDocumentSchema),
  checkpoint: checkpointSchema,
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

/** The server state a pushed row was based on: its `serverRev` (the assumed revision) decides conflicts. */
export const assumedMasterStateSchema = wireDocumentSchema.extend({ serverRev: revision.optional() });
export const pushRowSchema = z.object({
  newDocumentState: wireDocumentSchema,
  assumedMasterState: assumedMasterStateSchema.nullable().optional(),
});
export const MAX_PUSH_ROWS = 5000;
export const pushRequestSchema = z.object({ rows: z.array(pushRowSchema).max(MAX_PUSH_ROWS) });
export type PushRequest = z.infer<typeof pushRequestSchema>;
/**
 * What the server checks of a push as a whole; each row is then checked alone against `pushRowSchema` and
 * its collection's schema, so one malformed row is rejected by itself and the rest of the batch lands.
 */
export const pushBatchSchema = z.object({ rows: z.array(z.unknown()).max(MAX_PUSH_ROWS) });

export const fieldIssueSchema = z.object({ field: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

export const rejectedDocumentSchema = z.object({
  id: z.string(),
  reason: z.string(),
  issues: z.array(fieldIssueSchema),
});
export type RejectedDocument = z.infer<typeof rejectedDocumentSchema>;

export const acceptedRevisionSchema = z.object({ id: z.string(), serverRev: z.number().int().min(1) });
export type AcceptedRevision = z.infer<typeof acceptedRevisionSchema>;

export const pushResponseSchema = z.object({
  /** The new `serverRev` of every accepted row, oldest first. */
  accepted: z.array(acceptedRevisionSchema),
  conflicts: z.array(wireDocumentSchema),
  rejected: z.array(rejectedDocumentSchema),
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

/**
 * A committed write to `collection`, newest seq `seq`. `since` is the collection's newest seq before it and
 * `documents` the changed documents (without the receiving device's own): a client whose checkpoint is
 * `since` applies them and moves to `seq`; any other client, or an event without documents (a large write,
 * team members), pulls from its checkpoint instead.
 */
export const streamEventSchema = z.object({
  collection: collectionParam,
  seq: z.number().int().min(0),
  since: z.number().int().min(0).optional(),
  documents: z.array(wireDocumentSchema).optional(),
});
export type StreamEvent = z.infer<typeof streamEventSchema>;

export const meSchema = z.object({ tenantId: z.string(), userId: z.string(), name: z.string() });
export type Me = z.infer<typeof meSchema>;

export const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(fieldIssueSchema).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
