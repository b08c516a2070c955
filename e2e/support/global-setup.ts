import type { FullConfig } from '@playwright/test';

/** Runs after the web servers are up: checks that the sync server answers before any scenario starts. */
export default async function globalSetup(_config: FullConfig) {
  const url = `http://127.0.0.1:${process.env.E2E_SERVER_PORT}/healthz`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`sync server at ${url} answered ${response.status}`);
}
