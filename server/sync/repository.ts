import type { AcceptedRevision, ClientWritableCollection, PushResponse, WireDocument } from '@shared/schemas';
import type { Queryable, Storage } from '../db';
import { CHANGES_CHANNEL, lockTenantSequence } from './sequence';
import { databaseRejection, type ValidatedDocument } from './validation';

/** `origin`: the pushing device (left out of its own pulls), or null so that it pulls the stored state too. */
export type PushRow = {
  document: ValidatedDocument;
  assumedServerRev: number | undefined;
  origin: string | null;
};

/**
 * A pull answer as pre-serialized JSON: PostgreSQL renders each document (jsonb → text, with serverRev and
 * _deleted merged in) so large pulls skip a JSON.parse + JSON.stringify round in Node.
 */
export type PullPage = { json: string; count: number; checkpointSeq: number };

function pageOf(rows: { seq: string | number; doc: string }[], checkpointSeq: number): PullPage {
  return {
    json: `{"documents":[${rows.map((row) => row.doc).join(',')}],"checkpoint":{"seq":${checkpointSeq}}}`,
    count: rows.length,
    checkpointSeq,
  };
}

/** The checkpoint after `rows`: the last one's seq, or where the reader already was. */
function lastSeqOf(rows: { seq: string | number }[], afterSeq: number): number {
  const last = rows.at(-1);
  return last ? Number(last.seq) : afterSeq;
}

/**
 * Documents of one collection with seq > afterSeq, oldest first (index documents_by_seq), leaving out those
 * whose current state `device` wrote itself. A page that is not full ends at the collection's newest seq,
 * so the device's checkpoint also moves past its own writes (and a live event that follows them fits it).
 */
export async function pullDocuments(
  db: Queryable,
  tenantId: string,
  collection: ClientWritableCollection,
  afterSeq: number,
  limit: number,
  device: string | null,
): Promise<PullPage> {
  // `data` is stored with its serverRev (= seq, see PUSH_SQL): its text is the wire document but for
  // `_deleted`, added here as text. Merging it in the database (jsonb || …, then ::text) cost a third of
  // the pull's time on PGlite (issue 9).
  const rows = await db.query<{
    seq: string | number | null;
    deleted: boolean | null;
    data: string | null;
    head: string | number | null;
  }>(
    `SELECT page.seq, page.deleted, page.data, head.seq AS head
     FROM (SELECT max(seq) AS seq FROM documents WHERE tenant_id = $1 AND collection = $2) head
     LEFT JOIN LATERAL (
       SELECT seq, deleted, data::text AS data
       FROM documents
       WHERE tenant_id = $1 AND collection = $2 AND seq > $3 AND ($5::text IS NULL OR origin IS DISTINCT FROM $5)
       ORDER BY seq LIMIT $4
     ) page ON true
     ORDER BY page.seq`,
    [tenantId, collection, afterSeq, limit, device],
    { prepared: 'fieldbook_pull' },
  );
  const documents: { seq: string | number; doc: string }[] = [];
  for (const row of rows) {
    if (row.seq === null || row.data === null) continue;
    documents.push({ seq: row.seq, doc: withDeleted(row.data, row.deleted === true) });
  }
  const head = rows[0]?.head;
  const checkpointSeq =
    documents.length === limit || head == null
      ? lastSeqOf(documents, afterSeq)
      : Math.max(afterSeq, Number(head));
  return pageOf(documents, checkpointSeq);
}

/** A stored document's JSON text (an object, never empty: it holds serverRev) with `_deleted` appended. */
function withDeleted(data: string, deleted: boolean): string {
  return `${data.slice(0, -1)},"_deleted":${deleted}}`;
}

/** Team members from the server's table, shaped as the teamMember schema (read-only on clients). */
export async function pullTeamMembers(
  db: Queryable,
  tenantId: string,
  afterSeq: number,
  limit: number,
): Promise<PullPage> {
  const rows = await db.query<{ seq: string | number; doc: string }>(
    `SELECT seq, jsonb_build_object(
       'id', id, 'name', name, 'email', email, 'tenantId', tenant_id,
       'createdAt', created_at, 'updatedAt', updated_at, 'updatedBy', 'server',
       'serverRev', seq, '_deleted', false)::text AS doc
     FROM team_members WHERE tenant_id = $1 AND seq > $2
     ORDER BY seq LIMIT $3`,
    [tenantId, afterSeq, limit],
  );
  return pageOf(rows, lastSeqOf(rows, afterSeq));
}

/*
 * The whole decision runs in one statement after the lock (READ COMMITTED gives it a fresh snapshot, taken
 * once the lock is ours): read the current states of the pushed ids, accept the rows whose id is new or whose
 * assumed serverRev equals the current one, number the accepted rows after the locked sequence, upsert them,
 * advance the sequence and queue one NOTIFY (delivered on commit). Conflicting rows come back with the
 * current state. One statement instead of five keeps the per-batch cost low on PGlite (every statement
 * crosses into WASM) and on PostgreSQL (every statement is a network round trip).
 */
const PUSH_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($3::jsonb)
    AS r (ord int, id text, assumed bigint, deleted boolean, data jsonb, origin text)
), current_state AS (
  SELECT d.id, d.seq, d.deleted, d.data FROM documents d
  -- = ANY(ARRAY(...)) makes the primary-key index lookup the plan whatever the (possibly stale) statistics
  -- say; a join against the input let the planner pick a nested loop over the tenant's whole collection.
  WHERE d.tenant_id = $1 AND d.collection = $2 AND d.id = ANY (ARRAY(SELECT id FROM input))
), previous AS (
  -- The collection's newest seq before this push: live events carry it so a client can tell it missed none.
  SELECT COALESCE(max(seq), 0) AS seq FROM documents WHERE tenant_id = $1 AND collection = $2
), decided AS (
  SELECT input.*, COALESCE(c.id IS NULL OR c.seq = input.assumed, false) AS accepted
  FROM input LEFT JOIN current_state c USING (id)
), numbered AS (
  SELECT decided.*, $4::bigint + row_number() OVER (ORDER BY ord) AS seq FROM decided WHERE accepted
), written AS (
  INSERT INTO documents (tenant_id, collection, id, seq, deleted, data, origin)
  SELECT $1, $2, id, seq, deleted, data || jsonb_build_object('serverRev', seq), origin FROM numbered
  ON CONFLICT (tenant_id, collection, id)
  DO UPDATE SET seq = EXCLUDED.seq, deleted = EXCLUDED.deleted, data = EXCLUDED.data, origin = EXCLUDED.origin
  RETURNING id, seq
), advanced AS (
  UPDATE tenants SET seq = (SELECT max(seq) FROM written)
  WHERE id = $1 AND EXISTS (SELECT 1 FROM written)
  RETURNING seq
), changed AS (
  -- The written documents as pulls render them, for the notification when they fit in it (a live edit).
  SELECT json_agg(json_build_object(
    'seq', seq, 'origin', origin, 'doc', data || jsonb_build_object('serverRev', seq, '_deleted', deleted))
    ORDER BY seq)::text AS documents
  FROM numbered
  HAVING count(*) <= 8 -- more would not fit anyway: no need to render them
), notified AS (
  -- 'origin': the one device that wrote every row (null when several, or the server): streams of that
  -- device alone need not read the documents, they would all be left out. 'documents': the written
  -- documents when they fit the notification (PostgreSQL refuses payloads of 8000 bytes or more), so the
  -- change feed sends them without reading them back.
  SELECT pg_notify($5, json_build_object(
    'tenantId', $1::text, 'collection', $2::text, 'since', (SELECT seq FROM previous), 'seq', seq,
    'origin', (SELECT CASE WHEN bool_and(origin IS NOT NULL) AND count(DISTINCT origin) = 1
                      THEN min(origin) END FROM numbered),
    'documents', (SELECT documents::json FROM changed WHERE octet_length(documents) < 6000))::text)
  FROM advanced
)
SELECT
  COALESCE((SELECT json_agg(json_build_object('id', id, 'serverRev', seq) ORDER BY seq) FROM written), '[]')
    AS accepted,
  (SELECT max(seq) FROM advanced) AS last_seq,
  (SELECT count(*) FROM notified) AS notified,
  COALESCE(
    (SELECT json_agg(c.data || jsonb_build_object('serverRev', c.seq, '_deleted', c.deleted) ORDER BY d.ord)
     FROM decided d JOIN current_state c USING (id) WHERE NOT d.accepted),
    '[]'
  ) AS conflicts`;

export type PushOutcome = Pick<PushResponse, 'conflicts' | 'accepted' | 'rejected'> & {
  lastSeq: number | null;
};
export type PushInput = {
  ord: number;
  id: string;
  assumed: number | null;
  deleted: boolean;
  data: unknown;
  origin: string | null;
};

/** Runs PUSH_SQL for `input` after `lockedSeq` inside an open transaction that holds the tenant's lock. */
export async function pushStatement(
  tx: Queryable,
  tenantId: string,
  collection: ClientWritableCollection,
  input: readonly PushInput[],
  lockedSeq: number,
): Promise<Omit<PushOutcome, 'rejected'>> {
  const [result] = await tx.query<{
    accepted: { id: string; serverRev: string | number }[];
    last_seq: string | number | null;
    conflicts: WireDocument[];
  }>(PUSH_SQL, [tenantId, collection, JSON.stringify(input), lockedSeq, CHANGES_CHANNEL], {
    prepared: 'fieldbook_push',
  });
  return {
    conflicts: result?.conflicts ?? [],
    accepted: (result?.accepted ?? []).map(
      (revision): AcceptedRevision => ({ id: revision.id, serverRev: Number(revision.serverRev) }),
    ),
    lastSeq: result?.last_seq == null ? null : Number(result.last_seq),
  };
}

/** A pushed row as PUSH_SQL reads it; `ord` orders the rows of one statement (their seqs follow it). */
export function pushInput(row: PushRow, ord: number): PushInput {
  return {
    ord,
    id: row.document.id,
    assumed: row.assumedServerRev ?? null,
    deleted: row.document.deleted,
    data: row.document.data,
    origin: row.origin,
  };
}

/**
 * SQLSTATE classes a single row's values can cause: 22 data exception (text or json the database cannot
 * store, numbers out of range), 23 integrity constraint, 54 program limit (a value too large for an index).
 * Anything else (connection lost, serialization failure, …) fails the whole request, so the client retries.
 */
const ROW_LEVEL_ERROR_CLASSES = ['22', '23', '54'];

function rowLevelErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ROW_LEVEL_ERROR_CLASSES.includes(code.slice(0, 2)) ? code : undefined;
}

export async function lockedTenantSeq(tx: Queryable, tenantId: string): Promise<number> {
  const lockedSeq = await lockTenantSequence(tx, tenantId);
  if (lockedSeq === null) throw new Error(`Tenant ${tenantId} does not exist`);
  return lockedSeq;
}

/**
 * Applies one pushed batch in ONE transaction: lock the tenant's sequence (see sequence.ts), then decide and
 * write every row in one statement. A row is accepted when the server has no document with its id, or when
 * its assumed master state carries the current serverRev; otherwise the current state (tombstones included)
 * comes back as a conflict. Accepted documents get serverRev = their new seq, returned per id so the pushing
 * device records them without pulling its own documents back. Each row's `origin` (its pushing device, or
 * null when the server changed the document so the device must pull it) is stored with it. Ids must be
 * unique in `rows`.
 *
 * Validation happens before (server/sync/validation.ts), so the database refusing a row is not expected; if
 * it does, the batch is applied again row by row, each row under a savepoint: the rows the database refuses
 * are rejected with a reason and every other row lands. The happy path pays nothing for this.
 */
export async function pushDocuments(
  storage: Storage,
  tenantId: string,
  collection: ClientWritableCollection,
  rows: readonly PushRow[],
): Promise<PushOutcome> {
  if (rows.length === 0) return { conflicts: [], accepted: [], rejected: [], lastSeq: null };
  const input = rows.map((row, ord) => pushInput(row, ord));
  try {
    return await storage.transaction(async (tx) => {
      const lockedSeq = await lockedTenantSeq(tx, tenantId);
      return { ...(await pushStatement(tx, tenantId, collection, input, lockedSeq)), rejected: [] };
    });
  } catch (error) {
    if (!rowLevelErrorCode(error)) throw error;
  }
  return storage.transaction(async (tx) => {
    let seq = await lockedTenantSeq(tx, tenantId);
    const outcome: PushOutcome = { conflicts: [], accepted: [], rejected: [], lastSeq: null };
    for (const row of input) {
      await tx.query('SAVEPOINT push_row');
      try {
        const one = await pushStatement(tx, tenantId, collection, [row], seq);
        await tx.query('RELEASE SAVEPOINT push_row');
        outcome.conflicts.push(...one.conflicts);
        outcome.accepted.push(...one.accepted);
        if (one.lastSeq !== null) seq = outcome.lastSeq = one.lastSeq;
      } catch (error) {
        const code = rowLevelErrorCode(error);
        if (!code) throw error;
        await tx.query('ROLLBACK TO SAVEPOINT push_row');
        outcome.rejected.push(databaseRejection(row.id, code, error));
      }
    }
    return outcome;
  });
}
