/** Runs `total` calls of `task` with at most `concurrency` in flight; returns each call's latency in ms and the wall time. */
export async function runConcurrent<T>(total: number, concurrency: number, task: (i: number) => Promise<T>): Promise<{ results: T[]; latencies: number[]; seconds: number }> {
  const results: T[] = new Array(total);
  const latencies: number[] = new Array(total);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t = process.hrtime.bigint();
        results[i] = await task(i);
        latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
      }
    }),
  );
  return { results, latencies, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
