import { documentId, optionalText, requiredText } from '@shared/schemas';
import { z } from 'zod';
import { createToken, listTokens, type RevokeResult, revokeToken, type TokenListing } from '../auth/tokens';
import type { Storage } from '../db';

/** What the token CLI does: directly on the database, or through a running PGlite server's admin listener. */
export type AdminOperations = {
  createToken(input: NewTokenInput): Promise<{ id: string; token: string }>;
  listTokens(tenantId: string): Promise<TokenListing[]>;
  revokeToken(reference: string): Promise<RevokeResult>;
};

/** Tenant and member ids follow the document id rules: a member id is the `updatedBy` of every write. */
export const newTokenInput = z.object({
  tenantId: documentId,
  userId: documentId,
  name: requiredText(200, 'Name is required').optional(),
  email: optionalText(254).optional(),
});
export type NewTokenInput = z.infer<typeof newTokenInput>;

export function directAdmin(storage: Storage): AdminOperations {
  return {
    createToken: (input) => createToken(storage, newTokenInput.parse(input)),
    listTokens: (tenantId) => listTokens(storage, tenantId),
    revokeToken: (reference) => revokeToken(storage, reference),
  };
}
