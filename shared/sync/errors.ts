import type { FieldIssue } from '@shared/schemas';
import type { z } from 'zod';

export type CrmErrorReason = 'validation' | 'duplicate-email' | 'already-linked' | 'not-found';

/** A refused local write, with the field-level issues a form can show next to each field. */
export class CrmValidationError extends Error {
  readonly reason: CrmErrorReason;
  readonly issues: FieldIssue[];
  constructor(reason: CrmErrorReason, issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '));
    this.name = 'CrmValidationError';
    this.reason = reason;
    this.issues = issues;
  }
}

export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(document)',
    message: issue.message,
  }));
}

export function isCrmValidationError(error: unknown): error is CrmValidationError {
  return error instanceof CrmValidationError;
}

/** RxDB's refusal of a write that met another write of the same document (status 409). */
export function isConflictError(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'CONFLICT';
}

/** The message of anything thrown, for logs that keep text only. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
