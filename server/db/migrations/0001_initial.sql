-- Tenants: one team. `seq` is the last sequence number handed out to a write of this tenant
-- (documents and team members); see server/sync/repository.ts for how it orders commits.
CREATE TABLE tenants (
  id text PRIMARY KEY,
  name text NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Team members are owned by the server and replicated read-only to clients (collection teamMembers).
CREATE TABLE team_members (
  tenant_id text NOT NULL REFERENCES tenants (id),
  id text NOT NULL,
  name text NOT NULL,
  email text NOT NULL DEFAULT '',
  seq bigint NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX team_members_by_seq ON team_members (tenant_id, seq);

-- Bearer tokens, stored only as SHA-256 hashes of the token text.
CREATE TABLE access_tokens (
  id text PRIMARY KEY,
  tenant_id text NOT NULL,
  user_id text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- The first characters of the token, shown in listings so a person can tell tokens apart.
  display_prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  FOREIGN KEY (tenant_id, user_id) REFERENCES team_members (tenant_id, id)
);
CREATE INDEX access_tokens_by_tenant ON access_tokens (tenant_id, created_at);

-- Replicated documents of every client-writable collection. Deleted documents stay as tombstones.
-- `data` holds the validated document without `_deleted`; its `serverRev` equals `seq`.
CREATE TABLE documents (
  tenant_id text NOT NULL REFERENCES tenants (id),
  collection text NOT NULL,
  id text NOT NULL,
  seq bigint NOT NULL,
  deleted boolean NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (tenant_id, collection, id)
);
-- Pull reads `seq > checkpoint ORDER BY seq LIMIT n` per tenant and collection through this index.
CREATE UNIQUE INDEX documents_by_seq ON documents (tenant_id, collection, seq);
