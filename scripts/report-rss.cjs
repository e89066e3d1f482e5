// Preloaded by scripts/bench.ts (node --require): on exit, writes the process's peak RSS in MB to
// the file named by BENCH_RSS_FILE, so the benchmark measures `main.ts` exactly as `npm run synth`
// runs it.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS / 1024));
});
