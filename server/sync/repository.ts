import type { ClientWritableCollection, PushResponse, WireDocument } from '../../shared/schemas';
import type { Queryable, Storage } from '../db';
import { advanceTenantSequence, lockTenantSequence } from './sequence';
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

type CurrentState = { seq: number; deleted: boolean; data: Record<string, unknown> };

function wireDocumentOf(state: CurrentState): WireDocument {
  return { ...state.data, id: state.data.id as string, serverRev: state.seq, _deleted: state.deleted };
}

/**
 * Applies one pushed batch in ONE transaction: lock the tenant's sequence, read the current states of all
 * pushed ids in one query, decide each row, write the accepted ones in one upsert, advance the sequence and
 * queue the change notification. A row is accepted when the server has no document with its id, or when its
 * assumed master state carries the current serverRev; otherwise the current state (tombstones included) comes
 * back as a conflict. Accepted documents get serverRev = their new seq.
 */
export async function pushDocuments(
  storage: Storage,
  tenantId: string,
  collection: ClientWritableCollection,
  rows: readonly PushRow[],
): Promise<Pick<PushResponse, 'conflicts'> & { accepted: number; lastSeq: number | null }> {
  if (rows.length === 0) return { conflicts: [], accepted: 0, lastSeq: null };
  return storage.transaction(async (tx) => {
    const lockedSeq = await lockTenantSequence(tx, tenantId);
    if (lockedSeq === null) throw new Error(`Tenant ${tenantId} does not exist`);
    const ids = [...new Set(rows.map((row) => row.document.id))];
    const currentRows = await tx.query<{
      id: string;
      seq: string | number;
      deleted: boolean;
      data: Record<string, unknown>;
    }>(
      'SELECT id, seq, deleted, data FROM documents WHERE tenant_id = $1 AND collection = $2 AND id = ANY($3::text[])',
      [tenantId, collection, ids],
    );
    const current = new Map<string, CurrentState>(
      currentRows.map((row) => [row.id, { seq: Number(row.seq), deleted: row.deleted, data: row.data }]),
    );

    let seq = lockedSeq;
    const conflicts: WireDocument[] = [];
    // Keyed by id so a batch that names one id twice is decided row by row and written once.
    const writes = new Map<
      string,
      { id: string; seq: number; deleted: boolean; data: Record<string, unknown> }
    >();
    for (const row of rows) {
      const { id } = row.document;
      const existing = current.get(id);
      if (existing && row.assumedServerRev !== existing.seq) {
        conflicts.push(wireDocumentOf(existing));
        continue;
      }
      seq += 1;
      const state = { seq, deleted: row.document.deleted, data: { ...row.document.data, serverRev: seq } };
      current.set(id, state);
      writes.delete(id);
      writes.set(id, { id, ...state });
    }
    if (writes.size > 0) {
      await tx.query(
        `INSERT INTO documents (tenant_id, collection, id, seq, deleted, data)
         SELECT $1, $2, r.id, r.seq, r.deleted, r.data
         FROM jsonb_to_recordset($3::jsonb) AS r (id text, seq bigint, deleted boolean, data jsonb)
         ON CONFLICT (tenant_id, collection, id)
         DO UPDATE SET seq = EXCLUDED.seq, deleted = EXCLUDED.deleted, data = EXCLUDED.data`,
        [tenantId, collection, JSON.stringify([...writes.values()])],
      );
      await advanceTenantSequence(tx, tenantId, seq, [{ tenantId, collection, seq }]);
    }
    return { conflicts, accepted: writes.size, lastSeq: writes.size > 0 ? seq : null };
  });
}
