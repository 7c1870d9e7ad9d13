import { hash, verify } from '@node-rs/argon2';

/**
 * Argon2id with OWASP's baseline parameters (19 MiB, 2 passes, 1 lane); the parameters travel
 * in the PHC string, so raising them later keeps old hashes verifiable.
 */
const PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMETERS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
