import { decodeJwt } from 'jose';
import type { Viewer } from '@academy/platform';
import type { TokenVerifier } from '@academy/tokens';

export interface VerifiedTokensOptions {
  /** Most tokens remembered (the oldest go first). */
  maxEntries?: number;
  /** How long a verification is trusted at most (the token's expiry comes first when sooner). */
  maxAgeMs?: number;
}

/**
 * The claims of bearer tokens this process verified, by token: a client sends the same token
 * with every request until it expires, and checking its signature (EdDSA) each time cost more
 * than anything else the gateway does to admit a request. Only what the signature and claims say
 * is remembered: until the token's `exp` (checked as jose checks it, to the second), for at most
 * `maxAgeMs`; a token that failed is checked again every time. Everything that can change while
 * a token is valid (the person's status and persona, whether the session is still going) is
 * still asked on every request (PrincipalDirectory).
 */
export class VerifiedTokens {
  private readonly verified = new Map<string, { viewer: Viewer; until: number }>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly verifier: Pick<TokenVerifier, 'verify'>,
    options: VerifiedTokensOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
  }

  async verify(token: string): Promise<Viewer> {
    const now = Date.now();
    const known = this.verified.get(token);
    if (known && now < known.until) return { ...known.viewer };
    if (known) this.verified.delete(token);
    const viewer = await this.verifier.verify(token);
    // Verified, so it has an `exp` (a required claim): valid while the current second is before it.
    const { exp } = decodeJwt(token);
    if (typeof exp === 'number') {
      this.verified.set(token, { viewer: { ...viewer }, until: Math.min(exp * 1000, now + this.maxAgeMs) });
      if (this.verified.size > this.maxEntries) this.verified.delete(this.verified.keys().next().value!);
    }
    return viewer;
  }
}
