/**
 * The matching benchmarks (issue 6). Run: npm run bench -- matching [--part=optimize|incremental] [--sizes=1k,10k]
 *
 * - optimize (bench/matching/optimize.ts → bench/results/matching-optimize.json): the global re-optimisation
 *   against greedy and the exact HiGHS optimum of the same generated instance, at 1k × 1k and 10k × 10k. Pure:
 *   no database. The 10k exact solve takes over a minute; `--sizes=1k` for a quick look.
 * - incremental (bench/matching/incremental.ts → bench/results/matching-incremental.json): the matcher's
 *   publish → stored proposal latency at 100 publishes/s (`--rate=100 --seconds=30 --demands=5000`), the matcher
 *   in its own process from dist-bench; needs PostgreSQL and Redis.
 */
import { runIncrementalBench } from './matching/incremental';
import { runOptimizeBench } from './matching/optimize';

const args = new Map(process.argv.slice(2).map((arg) => [arg.replace(/^--/, '').split('=')[0], arg.split('=')[1] ?? '']));
const parts = (args.get('part') || 'optimize,incremental').split(',');
const sizes = (args.get('sizes') || process.env.MATCHING_BENCH_SIZES || '1k,10k').split(',');

async function main(): Promise<void> {
  if (parts.includes('optimize')) await runOptimizeBench(sizes);
  if (parts.includes('incremental')) {
    const number = (name: string, fallback: number) => (args.get(name) ? Number(args.get(name)) : fallback);
    await runIncrementalBench({ rate: number('rate', 100), seconds: number('seconds', 30), demands: number('demands', 5000) });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
