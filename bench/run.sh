#!/usr/bin/env bash
# `npm run bench`: runs bench/run.ts under a throw-away PostgreSQL (scripts/with-postgres.sh, own port) so the
# server figures come for PGlite and PostgreSQL side by side; without PostgreSQL binaries, PGlite only.
set -euo pipefail
cd "$(dirname "$0")/.."
if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  PGPORT_TEST=${PGPORT_TEST:-55450} exec bash scripts/with-postgres.sh npx tsx bench/run.ts "$@"
fi
echo "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin): PGlite figures only." >&2
exec npx tsx bench/run.ts "$@"
