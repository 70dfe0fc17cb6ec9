// A pool thread that answers every task with the resource limits it runs under (thread-pool.test.ts).
import { register } from 'tsx/esm/api';

register();
const { resourceLimits } = await import('node:worker_threads');
const { serveThread } = await import('../../../adapters/thread-pool/serve-thread.ts');
serveThread(() => resourceLimits, 'NL_TEST_FAILED');
