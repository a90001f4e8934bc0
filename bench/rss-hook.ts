// Loaded with `node --import` into each timed child: reports the process's peak resident memory (KiB) at exit.
process.on('exit', () => {
  process.stderr.write(`\nbench-max-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
