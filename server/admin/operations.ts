import { z } from 'zod';
import { createToken, listTokens, type RevokeResult, revokeToken, type TokenListing } from '../auth/tokens';
import type { Storage } from '../db';

/** What the token CLI does: directly on the database, or through a running PGlite server's admin listener. */
export type AdminOperations = {
  createToken(input: NewTokenInput): Promise<{ id: string; token: string }>;
  listTokens(tenantId: string): Promise<TokenListing[]>;
  revokeToken(reference: string): Promise<RevokeResult>;
};

export const newTokenInput = z.object({
  tenantId: z.string().trim().min(1).max(128),
  userId: z.string().trim().min(1).max(128),
  name: z.string().trim().min(1).max(200).optional(),
  email: z.string().trim().max(254).optional(),
});
export type NewTokenInput = z.infer<typeof newTokenInput>;

export function directAdmin(storage: Storage): AdminOperations {
  return {
    createToken: (input) => createToken(storage, newTokenInput.parse(input)),
    listTokens: (tenantId) => listTokens(storage, tenantId),
    revokeToken: (reference) => revokeToken(storage, reference),
  };
}
