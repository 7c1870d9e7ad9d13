import { randomUUID } from 'node:crypto';
import type { Viewer } from '@academy/platform';
import { UnauthenticatedError } from '@academy/platform';
import { VerifiedTokens } from '../src/auth/verified-tokens';

/** A token's shape (decodeJwt reads the claims; the stand-in verifier below decides what is valid). */
const tokenOf = (claims: Record<string, unknown>) =>
  ['{"alg":"EdDSA"}', JSON.stringify({ jti: randomUUID(), ...claims })].map((part) => Buffer.from(part).toString('base64url')).join('.') +
  '.signature';

const viewer: Viewer = { userId: randomUUID(), tenantId: randomUUID(), persona: 'LEARNER' };

function verifier(valid: (token: string) => boolean = () => true) {
  const calls: string[] = [];
  return {
    calls,
    verify: async (token: string): Promise<Viewer> => {
      calls.push(token);
      if (!valid(token)) throw new UnauthenticatedError('Invalid token');
      return { ...viewer };
    },
  };
}

describe('verified tokens (the claims of a token this gateway verified, until it expires)', () => {
  let now: number;
  beforeEach(() => {
    now = 1_800_000_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('checks a signature once, and hands out a copy of its claims each time', async () => {
    const inner = verifier();
    const tokens = new VerifiedTokens(inner);
    const token = tokenOf({ exp: now / 1000 + 600 });
    const first = await tokens.verify(token);
    first.persona = 'PLATFORM_ADMIN';
    expect(await tokens.verify(token)).toEqual(viewer);
    expect(inner.calls).toHaveLength(1);
  });

  it('stops at the second of its expiry, as jose does, and then asks the verifier (which refuses it)', async () => {
    const exp = now / 1000 + 10;
    const inner = verifier(
      (token) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp > Math.floor(Date.now() / 1000),
    );
    const tokens = new VerifiedTokens(inner);
    const token = tokenOf({ exp });
    await tokens.verify(token);
    now = exp * 1000 - 1;
    await tokens.verify(token);
    expect(inner.calls).toHaveLength(1);
    now = exp * 1000;
    await expect(tokens.verify(token)).rejects.toThrow('Invalid token');
    expect(inner.calls).toHaveLength(2);
  });

  it('trusts a verification for at most maxAgeMs, and never remembers a refusal', async () => {
    const inner = verifier();
    const tokens = new VerifiedTokens(inner, { maxAgeMs: 1_000 });
    const token = tokenOf({ exp: now / 1000 + 600 });
    await tokens.verify(token);
    now += 1_001;
    await tokens.verify(token);
    expect(inner.calls).toHaveLength(2);

    const refusing = verifier(() => false);
    const strict = new VerifiedTokens(refusing);
    await expect(strict.verify(token)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(strict.verify(token)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(refusing.calls).toHaveLength(2);
  });

  it('keeps at most maxEntries tokens, the oldest going first', async () => {
    const inner = verifier();
    const tokens = new VerifiedTokens(inner, { maxEntries: 2 });
    const [a, b, c] = [1, 2, 3].map(() => tokenOf({ exp: now / 1000 + 600 }));
    for (const token of [a!, b!, c!]) await tokens.verify(token);
    await tokens.verify(c!);
    await tokens.verify(b!);
    expect(inner.calls).toHaveLength(3);
    await tokens.verify(a!);
    expect(inner.calls).toHaveLength(4);
  });
});
