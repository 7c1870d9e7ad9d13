// The CONOCER sandbox as a process: `node --import tsx tools/conocer-sandbox/src/main.ts`.
import { sandboxEnvironment } from './environment';
import { ConocerSandbox } from './sandbox';

const environment = sandboxEnvironment();
const sandbox = new ConocerSandbox({
  clientId: environment.SANDBOX_CLIENT_ID,
  clientSecret: environment.SANDBOX_CLIENT_SECRET,
  tokenTtlSeconds: environment.SANDBOX_TOKEN_TTL_SECONDS,
  reviewAfterMs: environment.SANDBOX_REVIEW_AFTER_MS,
  decisionAfterMs: environment.SANDBOX_DECISION_AFTER_MS,
  approvalScore: environment.SANDBOX_APPROVAL_SCORE,
  faults: {
    errorRate: environment.SANDBOX_ERROR_RATE,
    latencyMs: environment.SANDBOX_LATENCY_MS,
    outage: environment.SANDBOX_OUTAGE,
    slowRate: environment.SANDBOX_SLOW_RATE,
    slowMs: environment.SANDBOX_SLOW_MS,
    duplicateReplayRate: environment.SANDBOX_DUPLICATE_REPLAY_RATE,
  },
});
sandbox.listen(environment.PORT, environment.HOST).then(
  (url) => {
    process.stdout.write(`${JSON.stringify({ level: 30, time: new Date().toISOString(), msg: 'conocer sandbox ready', url })}\n`);
    // The process health check `npm start` waits for.
    const stop = () => sandbox.close().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
  (error: Error) => {
    process.stderr.write(`conocer sandbox could not listen on ${environment.HOST}:${environment.PORT}: ${error.message}\n`);
    process.exit(1);
  },
);
