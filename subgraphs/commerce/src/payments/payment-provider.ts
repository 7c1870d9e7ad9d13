import type Stripe from 'stripe';
import { ConflictError, UpstreamUnavailableError, type PaymentMethod } from '@academy/platform';
import type { PaymentInstructions } from './payment-instructions';

/** What the platform asks the provider for: one checkout of one order. */
export interface CheckoutRequest {
  orderId: string;
  tenantId: string;
  courseTitle: string;
  amountCents: number;
  /** ISO 4217 (the provider takes it lower-cased). */
  currency: string;
  method: PaymentMethod;
  /** Where the buyer goes back to after paying, or giving up. */
  returnUrl: string;
}

/** A checkout as the provider has it now. */
export interface ProviderCheckout {
  sessionId: string;
  /** The hosted page (CARD); also where OXXO and SPEI instructions are shown. */
  url: string | null;
  paymentId: string | null;
  /** paid: the money is in; failed: the payment was declined; expired: it can no longer be paid. */
  state: 'open' | 'paid' | 'failed' | 'expired';
  failure: string | null;
  /** When the provider stops taking the payment. */
  payableUntil: Date;
  instructions: PaymentInstructions | null;
}

/**
 * An OXXO voucher lasts OXXO_DAYS. A card page and SPEI instructions last as long as the
 * provider keeps a checkout open (24 hours): the provider's clock decides, not ours.
 */
export const OXXO_DAYS = 3;

/**
 * The payment provider through Stripe's official SDK (Checkout Sessions; against the payment
 * sandbox unless configured for Stripe). Every call that creates something carries an
 * idempotency key made from the order, so a retried call (the SDK's own retries, or ours) never
 * makes a second checkout. A provider that cannot be reached is UPSTREAM_UNAVAILABLE.
 */
export class PaymentProvider {
  constructor(
    private readonly stripe: Stripe,
    private readonly webhookSecret: string,
  ) {}

  async createCheckout(request: CheckoutRequest): Promise<ProviderCheckout> {
    const metadata = { orderId: request.orderId, tenantId: request.tenantId };
    const session = await this.call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency.toLowerCase(),
                unit_amount: request.amountCents,
                product_data: { name: request.courseTitle },
              },
            },
          ],
          client_reference_id: request.orderId,
          metadata,
          payment_intent_data: { metadata },
          success_url: request.returnUrl,
          cancel_url: request.returnUrl,
          ...methodParameters(request.method),
        },
        { idempotencyKey: `checkout:${request.orderId}` },
      ),
    );
    return this.describe(session);
  }

  /** The checkout as it stands (with its payment): what a webhook or the reconciliation trusts. */
  async checkout(sessionId: string): Promise<ProviderCheckout> {
    return this.describe(await this.call(() => this.stripe.checkout.sessions.retrieve(sessionId, { expand: ['payment_intent'] })));
  }

  /** No payment is taken on it any more (the order was cancelled, replaced or failed). Already closed: nothing to do. */
  async expire(sessionId: string): Promise<void> {
    const current = await this.checkout(sessionId);
    if (current.state !== 'open') return;
    await this.call(() => this.stripe.checkout.sessions.expire(sessionId)).catch((error: unknown) => {
      // Closed between the two calls (paid or expired): the webhook that says so does the rest.
      if ((error as { type?: string }).type !== 'StripeInvalidRequestError') throw error;
    });
  }

  /**
   * The whole payment back to the buyer, once: the idempotency key is the order's, so a retried
   * or concurrent refund of the same order returns the same refund. A payment the provider
   * cannot refund (an OXXO cash payment) is CONFLICT.
   */
  async refund(request: { orderId: string; tenantId: string; paymentId: string }): Promise<string> {
    try {
      const refund = await this.call(() =>
        this.stripe.refunds.create(
          {
            payment_intent: request.paymentId,
            reason: 'requested_by_customer',
            metadata: { orderId: request.orderId, tenantId: request.tenantId },
          },
          { idempotencyKey: `refund:${request.orderId}` },
        ),
      );
      return refund.id;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'charge_not_refundable')
        throw new ConflictError('The provider cannot refund this payment (OXXO cash): return it by bank transfer');
      if (code === 'charge_already_refunded') throw new ConflictError('The payment was already refunded at the provider');
      throw error;
    }
  }

  /** A webhook event, if its signature is the provider's over exactly these bytes; throws otherwise. */
  verify(rawBody: Buffer, signature: string | undefined): Stripe.Event {
    return this.stripe.webhooks.constructEvent(rawBody, signature ?? '', this.webhookSecret);
  }

  private async describe(session: Stripe.Checkout.Session): Promise<ProviderCheckout> {
    const intent =
      typeof session.payment_intent === 'string'
        ? await this.call(() => this.stripe.paymentIntents.retrieve(session.payment_intent as string))
        : session.payment_intent;
    const failure = intent?.last_payment_error?.message ?? intent?.last_payment_error?.code ?? null;
    const state =
      session.payment_status === 'paid'
        ? 'paid'
        : session.status === 'expired'
          ? 'expired'
          : intent && (intent.status === 'canceled' || (intent.status === 'requires_payment_method' && intent.last_payment_error))
            ? 'failed'
            : 'open';
    const instructions = instructionsOf(intent, session);
    return {
      sessionId: session.id,
      url: session.url ?? null,
      paymentId: intent?.id ?? null,
      state,
      failure,
      payableUntil: instructions ? new Date(instructions.expiresAt) : new Date((session.expires_at ?? 0) * 1000),
      instructions,
    };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === 'StripeConnectionError' || type === 'StripeAPIError' || type === 'StripeRateLimitError')
        throw new UpstreamUnavailableError('The payment provider');
      throw error;
    }
  }
}

/** What Checkout needs for each method: OXXO a voucher of OXXO_DAYS, SPEI a Mexican bank transfer. */
function methodParameters(method: PaymentMethod): Partial<Stripe.Checkout.SessionCreateParams> {
  switch (method) {
    case 'CARD':
      return { allowed_payment_method_types: ['card'] };
    case 'OXXO':
      return { allowed_payment_method_types: ['oxxo'], payment_method_options: { oxxo: { expires_after_days: OXXO_DAYS } } };
    case 'SPEI':
      return {
        allowed_payment_method_types: ['customer_balance'],
        customer_creation: 'always',
        payment_method_options: { customer_balance: { funding_type: 'bank_transfer', bank_transfer: { type: 'mx_bank_transfer' } } },
      };
  }
}

/** OXXO: the voucher (its own expiry); SPEI: the transfer's account and reference, payable while the session is open. */
function instructionsOf(intent: Stripe.PaymentIntent | null, session: Stripe.Checkout.Session): PaymentInstructions | null {
  const action = intent?.next_action;
  if (action?.oxxo_display_details) {
    const oxxo = action.oxxo_display_details;
    return {
      method: 'OXXO',
      reference: oxxo.number ?? '',
      expiresAt: new Date((oxxo.expires_after ?? 0) * 1000).toISOString(),
      hostedVoucherUrl: oxxo.hosted_voucher_url ?? '',
    };
  }
  const transfer = action?.display_bank_transfer_instructions;
  if (transfer) {
    const spei = transfer.financial_addresses?.find((address) => address.spei)?.spei;
    return {
      method: 'SPEI',
      clabe: spei?.clabe ?? '',
      reference: transfer.reference ?? '',
      bankName: spei?.bank_name ?? '',
      expiresAt: new Date((session.expires_at ?? 0) * 1000).toISOString(),
    };
  }
  return null;
}
