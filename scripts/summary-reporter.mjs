// node:test reporter: counts leaf tests (not suites) across all files. Under scripts/run-tests.mjs it appends them
// to $AXI_TEST_COUNTS, which prints the one closing line CI reads for all its rounds; alone it prints that line.
import { appendFileSync } from 'node:fs';

export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const d = event.data;
    if (d.details?.type === 'suite') continue;
    // A file that fails to load is reported as a failing test of depth 0 with no suite; count it.
    if (event.type === 'test:fail') failed++;
    else if (d.skip || d.todo) skipped++;
    else passed++;
  }
  if (process.env.AXI_TEST_COUNTS) {
    appendFileSync(process.env.AXI_TEST_COUNTS, `${JSON.stringify({ passed, failed, skipped })}\n`);
    return;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
