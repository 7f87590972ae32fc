// The CLI in a process: the only place that touches process.exitCode, stdout and stderr directly.
import { boundHeapForLargeContent } from '../load/heap.ts';
import { run } from './run.ts';

boundHeapForLargeContent();

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
};

try {
  process.exitCode = await run(process.argv.slice(2), io);
} catch (error) {
  process.stderr.write(`evident: internal error: ${(error as Error)?.stack ?? error}\n`);
  process.exitCode = 3;
}
