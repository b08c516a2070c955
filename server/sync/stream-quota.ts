import type { Principal } from '../auth/tokens';

/**
 * Counts the open change streams of this process per token and per tenant, so one token (a leaked one, or a
 * client bug reconnecting in a loop) cannot hold thousands of connections and their buffers.
 */
export class StreamQuota {
  private readonly byToken = new Map<string, number>();
  private readonly byTenant = new Map<string, number>();

  constructor(private readonly limits: { perToken: number; perTenant: number }) {}

  /** Takes a place for a stream of `principal`; returns its release function, or why there is none. */
  open(principal: Principal): { release: () => void } | { refused: string } {
    const { tokenId, tenantId } = principal;
    if ((this.byToken.get(tokenId) ?? 0) >= this.limits.perToken)
      return { refused: `At most ${this.limits.perToken} open change streams per token` };
    if ((this.byTenant.get(tenantId) ?? 0) >= this.limits.perTenant)
      return { refused: `At most ${this.limits.perTenant} open change streams per team` };
    adjust(this.byToken, tokenId, 1);
    adjust(this.byTenant, tenantId, 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        adjust(this.byToken, tokenId, -1);
        adjust(this.byTenant, tenantId, -1);
      },
    };
  }
}

function adjust(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
