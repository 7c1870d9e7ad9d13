import { z } from 'zod';

/** How an OXXO or SPEI order is paid, as the provider gave it (kept in `orders.instructions`). */
export const paymentInstructions = z.discriminatedUnion('method', [
  z.object({ method: z.literal('OXXO'), reference: z.string(), expiresAt: z.iso.datetime(), hostedVoucherUrl: z.string() }),
  z.object({ method: z.literal('SPEI'), clabe: z.string(), reference: z.string(), bankName: z.string(), expiresAt: z.iso.datetime() }),
]);

export type PaymentInstructions = z.infer<typeof paymentInstructions>;

/** The stored instructions, or null when there are none (CARD) or they are not readable. */
export function readInstructions(stored: unknown): PaymentInstructions | null {
  const parsed = paymentInstructions.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
