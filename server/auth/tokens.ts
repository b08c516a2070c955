import { createHash, randomBytes } from 'node:crypto';
import type { Queryable, Storage } from '../db';
import { allocateSeq, CHANGES_CHANNEL } from '../sync/sequence';

/** Token text: a fixed marker (so leaked tokens are recognizable by scanners) + 256 random bits. */
const TOKEN_MARKER = 'fbk_';
const DISPLAY_PREFIX_LENGTH = TOKEN_MARKER.length + 8;

export type Principal = { tokenId: string; tenantId: string; userId: string; name: string };

/**
 * NOTIFY channel of changes to what a token resolves to (a revocation, a member's new name); the payload is
 * informative only. Each server process drops its cached principals on it (principal-cache.ts).
 */
export const TOKENS_CHANNEL = 'fieldbook_tokens';

export type TokenListing = {
  id: string;
  userId: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
};

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function newToken(): string {
  return TOKEN_MARKER + randomBytes(32).toString('base64url');
}

/** Creates the tenant and the team member when missing; a given name/email updates an existing member. */
export async function ensureMember(
  tx: Queryable,
  input: { tenantId: string; userId: string; name?: string | undefined; email?: string | undefined },
): Promise<void> {
  await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [
    input.tenantId,
  ]);
  const [existing] = await tx.query<{ name: string; email: string }>(
    'SELECT name, email FROM team_members WHERE tenant_id = $1 AND id = $2',
    [input.tenantId, input.userId],
  );
  const name = input.name ?? existing?.name ?? input.userId;
  const email = input.email ?? existing?.email ?? '';
  if (existing && existing.name === name && existing.email === email) return;
  // A changed member is a replicated write: it gets a sequence number like every document.
  const seq = await allocateSeq(tx, input.tenantId, 1);
  const now = Date.now();
  await tx.query(
    `INSERT INTO team_members (tenant_id, id, name, email, seq, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
       seq = EXCLUDED.seq, updated_at = EXCLUDED.updated_at`,
    [input.tenantId, input.userId, name, email, seq, now],
  );
  await tx.query('SELECT pg_notify($1, $2), pg_notify($3, $4)', [
    CHANGES_CHANNEL,
    JSON.stringify({ tenantId: input.tenantId, collection: 'teamMembers', seq }),
    TOKENS_CHANNEL,
    `member ${input.tenantId}/${input.userId}`,
  ]);
}

/** Issues a new token for tenant + user (creating both if missing). The plaintext is returned once, never stored. */
export async function createToken(
  storage: Storage,
  input: { tenantId: string; userId: string; name?: string | undefined; email?: string | undefined },
): Promise<{ id: string; token: string }> {
  const token = newToken();
  const id = `tok_${randomBytes(6).toString('hex')}`;
  await storage.transaction(async (tx) => {
    await ensureMember(tx, input);
    await tx.query(
      `INSERT INTO access_tokens (id, tenant_id, user_id, token_hash, display_prefix) VALUES ($1, $2, $3, $4, $5)`,
      [id, input.tenantId, input.userId, hashToken(token), token.slice(0, DISPLAY_PREFIX_LENGTH)],
    );
  });
  return { id, token };
}

export async function listTokens(storage: Queryable, tenantId: string): Promise<TokenListing[]> {
  const rows = await storage.query<{
    id: string;
    user_id: string;
    display_prefix: string;
    created_at: Date | string;
    revoked_at: Date | string | null;
  }>(
    `SELECT id, user_id, display_prefix, created_at, revoked_at FROM access_tokens
     WHERE tenant_id = $1 ORDER BY created_at, id`,
    [tenantId],
  );
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    prefix: row.display_prefix,
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  }));
}

export type RevokeResult =
  | { outcome: 'revoked'; id: string }
  | { outcome: 'not-found' }
  | { outcome: 'ambiguous'; ids: string[] };

/** Revokes by token id, by the listed prefix (unique match required) or by the full token text. */
export async function revokeToken(storage: Storage, reference: string): Promise<RevokeResult> {
  return storage.transaction(async (tx) => {
    const matches = await tx.query<{ id: string }>(
      `SELECT id FROM access_tokens
       WHERE revoked_at IS NULL AND (id = $1 OR token_hash = $2 OR starts_with(display_prefix, $1))
       ORDER BY id`,
      [reference, hashToken(reference)],
    );
    const exact = matches.find((row) => row.id === reference);
    const chosen = exact ?? (matches.length === 1 ? matches[0] : undefined);
    if (!chosen) {
      return matches.length === 0
        ? { outcome: 'not-found' as const }
        : { outcome: 'ambiguous' as const, ids: matches.map((row) => row.id) };
    }
    await tx.query('UPDATE access_tokens SET revoked_at = now() WHERE id = $1', [chosen.id]);
    // Delivered on commit to every server process, which then looks the token up again (and refuses it).
    await tx.query('SELECT pg_notify($1, $2)', [TOKENS_CHANNEL, `revoked ${chosen.id}`]);
    return { outcome: 'revoked' as const, id: chosen.id };
  });
}

/**
 * Resolves a bearer token to its tenant and user, or null when unknown or revoked. Looked up by hash through a
 * unique index: the lookup time depends on the hash, which an attacker cannot steer, so no timing oracle.
 * Requests go through PrincipalCache, which calls this at most once per token and few seconds.
 */
export async function authenticate(storage: Queryable, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_MARKER)) return null;
  const [row] = await storage.query<{ id: string; tenant_id: string; user_id: string; name: string }>(
    `SELECT t.id, t.tenant_id, t.user_id, m.name FROM access_tokens t
     JOIN team_members m ON m.tenant_id = t.tenant_id AND m.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [hashToken(token)],
  );
  return row ? { tokenId: row.id, tenantId: row.tenant_id, userId: row.user_id, name: row.name } : null;
}
