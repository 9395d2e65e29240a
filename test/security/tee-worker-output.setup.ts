import { join } from 'node:path';
import { expect, inject } from 'vitest';
import { OUTPUT_DIR_KEY } from './output-dir.js';
import { teeOutputTo } from './output-tee.js';

// Setup file (every test file, every worker): copy all this worker prints into its own file of the
// directory the global setup made, which is scanned for secrets when the run ends. The marker line
// names the test file, so a finding says what was running.
const dir = inject(OUTPUT_DIR_KEY);
if (dir)
  teeOutputTo(join(dir, `worker-${process.pid}.log`), expect.getState().testPath ?? 'unknown test file');
