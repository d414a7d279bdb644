/**
 * Preloaded into every child process of `npm run bench` (`node --import`): on exit, writes the process's
 * peak resident set size in bytes to $RASTRO_BENCH_RSS_FILE, so every measured line reports the same thing.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.RASTRO_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
