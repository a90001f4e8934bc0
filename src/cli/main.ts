import { quietOnClosedPipe } from './io.js';
import { runCli } from './program.js';

quietOnClosedPipe();

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
