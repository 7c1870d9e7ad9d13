// The payment sandbox as a process: `node --import tsx tools/payment-sandbox/src/main.ts`.
import { sandboxEnvironment } from './environment';
import { PaymentSandbox } from './sandbox';

const environment = sandboxEnvironment();
const sandbox = new PaymentSandbox({
  secretKey: environment.SANDBOX_STRIPE_SECRET_KEY,
  publicUrl: environment.SANDBOX_PUBLIC_URL ?? null,
  webhookEndpoints: environment.SANDBOX_STRIPE_WEBHOOK_URL
    ? [{ url: environment.SANDBOX_STRIPE_WEBHOOK_URL, secret: environment.SANDBOX_STRIPE_WEBHOOK_SECRET }]
    : [],
  webhooks: {
    attempts: environment.SANDBOX_WEBHOOK_ATTEMPTS,
    backoffMs: environment.SANDBOX_WEBHOOK_BACKOFF_MS,
    timeoutMs: environment.SANDBOX_WEBHOOK_TIMEOUT_MS,
  },
  faults: {
    errorRate: environment.SANDBOX_ERROR_RATE,
    timeoutRate: environment.SANDBOX_TIMEOUT_RATE,
    slowMs: environment.SANDBOX_SLOW_MS,
    latencyMs: environment.SANDBOX_LATENCY_MS,
    duplicateRate: environment.SANDBOX_WEBHOOK_DUPLICATE_RATE,
    delayMs: environment.SANDBOX_WEBHOOK_DELAY_MS,
    reorder: environment.SANDBOX_WEBHOOK_REORDER === 'off' ? false : environment.SANDBOX_WEBHOOK_REORDER,
    dropRate: environment.SANDBOX_WEBHOOK_DROP_RATE,
  },
});
sandbox.listen(environment.PORT, environment.HOST).then(
  (url) => {
    process.stdout.write(`${JSON.stringify({ level: 30, time: new Date().toISOString(), msg: 'payment sandbox ready', url })}\n`);
    // The process health check `npm start` waits for.
    const stop = () => sandbox.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error: Error) => {
    process.stderr.write(`payment sandbox could not listen on ${environment.HOST}:${environment.PORT}: ${error.message}\n`);
    process.exit(1);
  },
);
