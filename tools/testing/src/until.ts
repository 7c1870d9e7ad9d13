/**
 * Reads until `done` holds of the reading or `timeoutMs` has passed, and returns the last reading:
 * the test asserts on it, so a timeout fails with what was actually seen.
 */
export async function until<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 5_000, everyMs = 20 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
