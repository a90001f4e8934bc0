import { quietOnClosedPipe } from './io.js';
import { runCli } from './program.js';

quietOnClosedPipe();

// The bundle's entry (scripts/bundle.ts): a CommonJS bundle has no top-level await, so the exit code is set when the
// run ends. main.ts is the same for dist/src.
void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }).then((code) => {
  process.exitCode = code;
});
