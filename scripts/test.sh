#!/usr/bin/env bash
# The whole test suite (what README's test command and .ci/run call): system packages, lint, types,
# unit + integration tests (server on PGlite and on a real PostgreSQL), browser end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
npm run lint
npm run typecheck
bash scripts/with-postgres.sh npx vitest run
npm run test:e2e
