import type { ClientWritableCollection, PushResponse, WireDocument } from '@shared/schemas';
import type { Queryable, Storage } from '../db';
import { CHANGES_CHANNEL, lockTenantSequence } from './sequence';
import type { ValidatedDocument } from './validation';

export type PushRow = { document: ValidatedDocument; assumedServerRev: number | undefined };

/**
 * A pull answer as pre-serialized JSON: PostgreSQL renders each document (jsonb → text, with serverRev and
 * _deleted merged in) so large pulls skip a JSON.parse + JSON.stringify round in Node.
 */
export type PullPage = { json: string; count: number; checkpointSeq: number };

function pageOf(rows: { seq: string | number; doc: string }[], afterSeq: number): PullPage {
  const last = rows.at(-1);
  const checkpointSeq = last ? Number(last.seq) : afterSeq;
  return {
    json: `{"documents":[${rows.map((row) => row.doc).join(',')}],"checkpoint":{"seq":${checkpointSeq}}}`,
    count: rows.length,
    checkpointSeq,
  };
}

/** Documents of one collection with seq > afterSeq, oldest first (index documents_by_seq). */
export async function pullDocuments(
  db: Queryable,
  tenantId: string,
  collection: ClientWritableCollection,
  afterSeq: number,
  limit: number,
): Promise<PullPage> {
  const rows = await db.query<{ seq: string | number; doc: string }>(
    `SELECT seq, (data || jsonb_build_object('serverRev', seq, '_deleted', deleted))::text AS doc
     FROM documents WHERE tenant_id = $1 AND collection = $2 AND seq > $3
     ORDER BY seq LIMIT $4`,
    [tenantId, collection, afterSeq, limit],
  );
  return pageOf(rows, afterSeq);
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
  return pageOf(rows, afterSeq);
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
  SELECT * FROM jsonb_to_recordset($3::jsonb) AS r (ord int, id text, assumed bigint, deleted boolean, data jsonb)
), current_state AS (
  SELECT d.id, d.seq, d.deleted, d.data FROM documents d
  -- = ANY(ARRAY(...)) makes the primary-key index lookup the plan whatever the (possibly stale) statistics
  -- say; a join against the input let the planner pick a nested loop over the tenant's whole collection.
  WHERE d.tenant_id = $1 AND d.collection = $2 AND d.id = ANY (ARRAY(SELECT id FROM input))
), decided AS (
  SELECT input.*, COALESCE(c.id IS NULL OR c.seq = input.assumed, false) AS accepted
  FROM input LEFT JOIN current_state c USING (id)
), numbered AS (
  SELECT decided.*, $4::bigint + row_number() OVER (ORDER BY ord) AS seq FROM decided WHERE accepted
), written AS (
  INSERT INTO documents (tenant_id, collection, id, seq, deleted, data)
  SELECT $1, $2, id, seq, deleted, data || jsonb_build_object('serverRev', seq) FROM numbered
  ON CONFLICT (tenant_id, collection, id)
  DO UPDATE SET seq = EXCLUDED.seq, deleted = EXCLUDED.deleted, data = EXCLUDED.data
  RETURNING seq
), advanced AS (
  UPDATE tenants SET seq = (SELECT max(seq) FROM written)
  WHERE id = $1 AND EXISTS (SELECT 1 FROM written)
  RETURNING seq
), notified AS (
  SELECT pg_notify($5, json_build_object('tenantId', $1::text, 'collection', $2::text, 'seq', seq)::text)
  FROM advanced
)
SELECT
  (SELECT count(*) FROM written) AS accepted,
  (SELECT max(seq) FROM advanced) AS last_seq,
  (SELECT count(*) FROM notified) AS notified,
  COALESCE(
    (SELECT json_agg(c.data || jsonb_build_object('serverRev', c.seq, '_deleted', c.deleted) ORDER BY d.ord)
     FROM decided d JOIN current_state c USING (id) WHERE NOT d.accepted),
    '[]'
  ) AS conflicts`;

/**
 * Applies one pushed batch in ONE transaction: lock the tenant's sequence (see sequence.ts), then decide and
 * write every row in one statement. A row is accepted when the server has no document with its id, or when
 * its assumed master state carries the current serverRev; otherwise the current state (tombstones included)
 * comes back as a conflict. Accepted documents get serverRev = their new seq. Ids must be unique in `rows`.
 */
export async function pushDocuments(
  storage: Storage,
  tenantId: string,
  collection: ClientWritableCollection,
  rows: readonly PushRow[],
): Promise<Pick<PushResponse, 'conflicts'> & { accepted: number; lastSeq: number | null }> {
  if (rows.length === 0) return { conflicts: [], accepted: 0, lastSeq: null };
  const input = rows.map((row, ord) => ({
    ord,
    id: row.document.id,
    assumed: row.assumedServerRev ?? null,
    deleted: row.document.deleted,
    data: row.document.data,
  }));
  return storage.transaction(async (tx) => {
    const lockedSeq = await lockTenantSequence(tx, tenantId);
    if (lockedSeq === null) throw new Error(`Tenant ${tenantId} does not exist`);
    const [result] = await tx.query<{
      accepted: string | number;
      last_seq: string | number | null;
      conflicts: WireDocument[];
    }>(PUSH_SQL, [tenantId, collection, JSON.stringify(input), lockedSeq, CHANGES_CHANNEL]);
    return {
      conflicts: result?.conflicts ?? [],
      accepted: Number(result?.accepted ?? 0),
      lastSeq: result?.last_seq == null ? null : Number(result.last_seq),
    };
  });
}
