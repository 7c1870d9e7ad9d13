// The four benchmark subgraphs as one process: `node --import tsx tools/bench/src/field/subgraphs-process.ts`
// with FIELD_PORTS='{"accounts":4201,...}'; prints "ready" once all listen.
import { startFieldSubgraphs, type FieldSubgraphName } from '@academy/federation-benchmark';

void startFieldSubgraphs(JSON.parse(process.env.FIELD_PORTS ?? '{}') as Partial<Record<FieldSubgraphName, number>>).then((subgraphs) => {
  process.stdout.write(`ready ${JSON.stringify(subgraphs.urls)}\n`);
  process.once('SIGTERM', () => void subgraphs.close().then(() => process.exit(0)));
});
