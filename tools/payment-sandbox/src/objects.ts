// The Stripe objects the sandbox serves, shaped like Stripe's (field names, nullability, id
// prefixes); fields outside the subset are present with Stripe's empty values.
import { randomBytes, randomInt } from 'node:crypto';

export type Metadata = Record<string, string>;

/** The methods a session can take: card, OXXO voucher, SPEI (customer_balance + mx_bank_transfer). */
export type PaymentMethodType = 'card' | 'oxxo' | 'customer_balance';

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface OxxoDisplayDetails {
  expires_after: number;
  hosted_voucher_url: string;
  number: string;
}

export interface SpeiFinancialAddress {
  type: 'spei';
  spei: {
    account_holder_address: Address;
    account_holder_name: string;
    bank_address: Address;
    bank_code: string;
    bank_name: string;
    clabe: string;
  };
  supported_networks: ['spei'];
}

export interface DisplayBankTransferInstructions {
  type: 'mx_bank_transfer';
  reference: string;
  hosted_instructions_url: string;
  financial_addresses: SpeiFinancialAddress[];
  amount_remaining: number;
  currency: string;
}

export type NextAction =
  | { type: 'oxxo_display_details'; oxxo_display_details: OxxoDisplayDetails }
  | { type: 'display_bank_transfer_instructions'; display_bank_transfer_instructions: DisplayBankTransferInstructions };

export interface PaymentMethod {
  id: string;
  object: 'payment_method';
  billing_details: { address: Address | null; email: string | null; name: string | null; phone: string | null; tax_id: string | null };
  created: number;
  customer: null;
  customer_account: null;
  livemode: false;
  metadata: Metadata;
  type: PaymentMethodType;
  card?: { brand: string; country: string; exp_month: number; exp_year: number; funding: string; last4: string };
  oxxo?: Record<string, never>;
  customer_balance?: Record<string, never>;
}

export interface LastPaymentError {
  type: 'card_error';
  code: string;
  decline_code: string;
  doc_url: string;
  message: string;
  charge: string;
  payment_method: PaymentMethod;
}

export type PaymentIntentStatus = 'requires_payment_method' | 'requires_action' | 'processing' | 'succeeded' | 'canceled';

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  allowed_payment_method_types: PaymentMethodType[];
  amount: number;
  amount_capturable: number;
  amount_received: number;
  application: null;
  application_fee_amount: null;
  automatic_payment_methods: null;
  canceled_at: number | null;
  cancellation_reason: 'abandoned' | null;
  capture_method: 'automatic';
  client_secret: string;
  confirmation_method: 'automatic';
  created: number;
  currency: string;
  customer: null;
  customer_account: null;
  description: string | null;
  excluded_payment_method_types: null;
  last_payment_error: LastPaymentError | null;
  latest_charge: string | null;
  livemode: false;
  managed_payments: null;
  metadata: Metadata;
  next_action: NextAction | null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_configuration_details: null;
  payment_method_options: Record<string, unknown>;
  payment_method_types: PaymentMethodType[];
  payment_record: null;
  processing: null;
  receipt_email: string | null;
  review: null;
  setup_future_usage: null;
  shipping: null;
  source: null;
  statement_descriptor: null;
  statement_descriptor_suffix: null;
  status: PaymentIntentStatus;
  transfer_data: null;
  transfer_group: null;
}

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  application: null;
  application_fee: null;
  application_fee_amount: null;
  balance_transaction: string | null;
  billing_details: PaymentMethod['billing_details'];
  calculated_statement_descriptor: string;
  captured: boolean;
  created: number;
  currency: string;
  customer: null;
  description: string | null;
  disputed: false;
  failure_balance_transaction: null;
  failure_code: string | null;
  failure_message: string | null;
  fraud_details: Record<string, never>;
  livemode: false;
  metadata: Metadata;
  on_behalf_of: null;
  outcome: {
    network_status: string;
    reason: string | null;
    risk_level: 'normal';
    seller_message: string;
    type: 'authorized' | 'issuer_declined';
  };
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { type: PaymentMethodType } & Record<string, unknown>;
  receipt_email: null;
  receipt_number: null;
  receipt_url: null;
  refunded: boolean;
  review: null;
  shipping: null;
  source: null;
  source_transfer: null;
  statement_descriptor: null;
  statement_descriptor_suffix: null;
  status: 'succeeded' | 'failed';
  transfer_data: null;
  transfer_group: null;
}

export type RefundReason = 'duplicate' | 'fraudulent' | 'requested_by_customer';

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  balance_transaction: string;
  charge: string;
  created: number;
  currency: string;
  customer: null;
  customer_account: null;
  destination_details: { type: PaymentMethodType } & Record<string, unknown>;
  metadata: Metadata;
  payment_intent: string;
  payment_method: string;
  reason: RefundReason | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: 'succeeded';
  transfer_reversal: null;
}

export interface LineItem {
  id: string;
  object: 'item';
  amount_discount: 0;
  amount_subtotal: number;
  amount_tax: 0;
  amount_total: number;
  currency: string;
  description: string;
  price: {
    id: string;
    object: 'price';
    active: false;
    billing_scheme: 'per_unit';
    created: number;
    currency: string;
    livemode: false;
    metadata: Metadata;
    product: string;
    type: 'one_time';
    unit_amount: number;
  };
  quantity: number;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  adaptive_pricing: null;
  after_expiration: null;
  allow_promotion_codes: null;
  allowed_payment_method_types: PaymentMethodType[];
  amount_subtotal: number;
  amount_total: number;
  automatic_tax: { enabled: false; liability: null; status: null };
  billing_address_collection: null;
  cancel_url: string | null;
  client_reference_id: string | null;
  client_secret: null;
  collected_information: null;
  consent: null;
  consent_collection: null;
  created: number;
  currency: string;
  currency_conversion: null;
  custom_fields: [];
  custom_text: { after_submit: null; shipping_address: null; submit: null; terms_of_service_acceptance: null };
  customer: null;
  customer_account: null;
  customer_creation: 'if_required' | 'always';
  customer_details: { address: null; email: string | null; name: string | null; phone: null; tax_exempt: 'none'; tax_ids: [] } | null;
  customer_email: string | null;
  discounts: [];
  expires_at: number;
  integration_identifier: null;
  invoice: null;
  invoice_creation: null;
  livemode: false;
  locale: string | null;
  managed_payments: null;
  metadata: Metadata;
  mode: 'payment';
  origin_context: null;
  payment_intent: string;
  payment_link: null;
  payment_method_collection: 'if_required';
  payment_method_configuration_details: null;
  payment_method_options: Record<string, unknown>;
  payment_method_types: PaymentMethodType[];
  payment_status: 'unpaid' | 'paid';
  permissions: null;
  phone_number_collection: { enabled: false };
  recovered_from: null;
  saved_payment_method_options: null;
  setup_intent: null;
  shipping_address_collection: null;
  shipping_cost: null;
  shipping_options: [];
  status: 'open' | 'complete' | 'expired';
  submit_type: null;
  subscription: null;
  success_url: string | null;
  total_details: { amount_discount: 0; amount_shipping: 0; amount_tax: 0 };
  ui_mode: 'hosted';
  url: string | null;
  wallet_options: null;
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: object };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface StripeList<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `prefix` + random base62, like Stripe's ids (`pi_3Q...`, `cs_test_a1...`). */
export function stripeId(prefix: string, length = 24): string {
  return prefix + [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

export function digits(length: number): string {
  return Array.from({ length }, () => randomInt(10)).join('');
}

/** An 18-digit CLABE with a valid check digit (weights 3, 7, 1 over the first 17 digits). */
export function clabe(bankCode: string, plaza = '180'): string {
  const body = `${bankCode}${plaza}${digits(11)}`;
  const sum = [...body].reduce((total, digit, index) => total + ((Number(digit) * [3, 7, 1][index % 3]!) % 10), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

export const NO_ADDRESS: Address = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

export const SPEI_BANK = {
  bank_code: '646',
  bank_name: 'STP',
  account_holder_name: 'MADFAM Academy (sandbox)',
  account_holder_address: {
    ...NO_ADDRESS,
    city: 'Ciudad de México',
    country: 'MX',
    line1: 'Av. Paseo de la Reforma 222',
    postal_code: '06600',
    state: 'CDMX',
  },
  bank_address: {
    ...NO_ADDRESS,
    city: 'Ciudad de México',
    country: 'MX',
    line1: 'Av. Insurgentes Sur 1425',
    postal_code: '03920',
    state: 'CDMX',
  },
} as const;

const MEXICO_CITY_OFFSET_SECONDS = -6 * 3600;

/**
 * When an OXXO voucher issued at `issuedAt` stops being payable: 23:59:59 in Mexico City
 * (UTC-6, no daylight saving since 2022) `days` calendar days later, as Stripe does.
 */
export function oxxoExpiry(issuedAt: number, days: number): number {
  const dayStart = Math.floor((issuedAt + MEXICO_CITY_OFFSET_SECONDS) / 86_400) * 86_400 - MEXICO_CITY_OFFSET_SECONDS;
  return dayStart + (days + 1) * 86_400 - 1;
}

export function paymentMethod(type: PaymentMethodType, created: number): PaymentMethod {
  return {
    id: stripeId('pm_'),
    object: 'payment_method',
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    created,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type,
    ...(type === 'card'
      ? {
          card: {
            brand: 'visa',
            country: 'MX',
            exp_month: 12,
            exp_year: new Date(created * 1000).getUTCFullYear() + 3,
            funding: 'credit',
            last4: '4242',
          },
        }
      : { [type]: {} }),
  };
}

export function charge(
  intent: PaymentIntent,
  method: PaymentMethod,
  created: number,
  failure: { code: string; message: string; declineCode: string } | null,
): Charge {
  const details: Charge['payment_method_details'] =
    method.type === 'card'
      ? { type: 'card', card: { ...method.card, network: 'visa', three_d_secure: null, wallet: null } }
      : method.type === 'oxxo'
        ? {
            type: 'oxxo',
            oxxo: { number: intent.next_action?.type === 'oxxo_display_details' ? intent.next_action.oxxo_display_details.number : null },
          }
        : { type: 'customer_balance', customer_balance: {} };
  return {
    id: stripeId('ch_'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: failure ? 0 : intent.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: failure ? null : stripeId('txn_'),
    billing_details: method.billing_details,
    calculated_statement_descriptor: 'MADFAM ACADEMY',
    captured: !failure,
    created,
    currency: intent.currency,
    customer: null,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: failure
      ? {
          network_status: 'declined_by_network',
          reason: failure.declineCode,
          risk_level: 'normal',
          seller_message: 'The bank did not return any further details with this decline.',
          type: 'issuer_declined',
        }
      : {
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: !failure,
    payment_intent: intent.id,
    payment_method: method.id,
    payment_method_details: details,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: failure ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}
