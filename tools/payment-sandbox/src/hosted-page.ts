// The hosted payment page (GET /pay/:sessionId): what the customer sees instead of Stripe Checkout.
import type { CheckoutSession, LineItem, PaymentIntent } from './objects';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

export function formatAmount(amount: number, currency: string): string {
  try {
    return (
      new Intl.NumberFormat('es-MX', { style: 'currency', currency: currency.toUpperCase() }).format(amount / 100) +
      ` ${currency.toUpperCase()}`
    );
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

const formatTime = (unix: number) =>
  new Intl.DateTimeFormat('es-MX', { dateStyle: 'long', timeStyle: 'short', timeZone: 'America/Mexico_City' }).format(unix * 1000);

export const METHOD_LABELS: Record<string, string> = {
  card: 'Tarjeta (de prueba, terminación 4242)',
  oxxo: 'Efectivo en OXXO',
  customer_balance: 'Transferencia SPEI',
};

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1a1a2e; }
.badge { display: inline-block; font-size: .75rem; background: #fde68a; padding: .1rem .5rem; border-radius: .5rem; }
.amount { font-size: 2rem; font-weight: 700; margin: .5rem 0; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }
dt { color: #555; }
dd { margin: 0; font-family: ui-monospace, monospace; }
form { display: inline-block; margin-right: .5rem; }
button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: .4rem; border: 0; cursor: pointer; }
.pay { background: #635bff; color: white; }
.decline { background: #eee; }
.message { padding: 1rem; border-radius: .4rem; background: #f1f5f9; }
</style>
</head>
<body>
<p class="badge">Sandbox de pagos: ningún cargo es real</p>
${body}
</body>
</html>
`;
}

export function paymentPage(session: CheckoutSession, intent: PaymentIntent, lineItems: LineItem[], action: string): string {
  const items = lineItems
    .map((item) => `<li>${escape(item.description)} × ${item.quantity}: ${escape(formatAmount(item.amount_total, item.currency))}</li>`)
    .join('');
  const method = session.payment_method_types[0]!;
  let details = '';
  if (intent.next_action?.type === 'oxxo_display_details') {
    const voucher = intent.next_action.oxxo_display_details;
    details = `<h2>Ficha OXXO</h2><dl><dt>Referencia</dt><dd>${escape(voucher.number)}</dd><dt>Vence</dt><dd>${escape(formatTime(voucher.expires_after))}</dd></dl>
<p>"Pagar" simula el pago en tienda; "Rechazar", que la ficha no se paga.</p>`;
  } else if (intent.next_action?.type === 'display_bank_transfer_instructions') {
    const instructions = intent.next_action.display_bank_transfer_instructions;
    const spei = instructions.financial_addresses[0]!.spei;
    details = `<h2>Transferencia SPEI</h2><dl><dt>Banco</dt><dd>${escape(spei.bank_name)}</dd><dt>CLABE</dt><dd>${escape(spei.clabe)}</dd>
<dt>Referencia</dt><dd>${escape(instructions.reference)}</dd><dt>Beneficiario</dt><dd>${escape(spei.account_holder_name)}</dd><dt>Vence</dt><dd>${escape(formatTime(session.expires_at))}</dd></dl>
<p>"Pagar" simula la transferencia recibida; "Rechazar", que nunca llega.</p>`;
  }
  const error = intent.last_payment_error ? `<p class="message">Último intento: ${escape(intent.last_payment_error.message)}</p>` : '';
  return layout(
    'Pagar',
    `<h1>Pagar</h1>
<ul>${items}</ul>
<p class="amount">${escape(formatAmount(session.amount_total, session.currency))}</p>
<p>Método: ${escape(METHOD_LABELS[method] ?? method)}</p>
${details}${error}
<form method="post" action="${escape(action)}"><input type="hidden" name="outcome" value="succeeded"><button class="pay" type="submit">Pagar</button></form>
<form method="post" action="${escape(action)}"><input type="hidden" name="outcome" value="declined"><button class="decline" type="submit">Rechazar</button></form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escape(title)}</h1><p class="message">${escape(message)}</p>`);
}
