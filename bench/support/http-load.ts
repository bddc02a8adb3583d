/**
 * A small closed-loop HTTP load generator for benchmarks: `clients` concurrent keep-alive connections on loopback,
 * each sending its next request as soon as the previous answer is read, for a fixed time. It runs in a worker
 * thread so that the load it makes does not share the event loop of the server under test.
 */
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** One request of the mix. With `follow`, the client also fetches the next page through the answer's nextCursor. */
export interface LoadRequest {
  kind: string;
  path: string;
  follow?: boolean;
}

export interface LoadOptions {
  port: number;
  token?: string;
  requests: LoadRequest[];
  clients: number;
  seconds: number;
  /** Run this long first and throw the figures away (JIT, caches, connection set-up). */
  warmupSeconds: number;
}

/** Latencies in ms by request kind (a followed page counts as `<kind> page 2`), and what went wrong. */
export interface LoadResult {
  seconds: number;
  latencies: Record<string, number[]>;
  errors: Record<string, number>;
}

/** Runs the load in a worker thread and resolves with its figures. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: { httpLoad: options } });
    worker.once('message', (result: LoadResult) => resolve(result));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** count, requests/s, p50/p95/p99/max in ms of a set of latencies measured over `seconds`. */
export function summarize(latencies: number[], seconds: number): Record<string, number> {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (v: number) => Number(v.toFixed(2));
  return {
    requests: sorted.length,
    rps: Math.round(sorted.length / seconds),
    p50: ms(percentile(sorted, 50)),
    p95: ms(percentile(sorted, 95)),
    p99: ms(percentile(sorted, 99)),
    max: ms(sorted[sorted.length - 1] ?? 0),
  };
}

async function work(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: options.port, path, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  const run = async (seconds: number): Promise<LoadResult> => {
    const latencies: Record<string, number[]> = {};
    const errors: Record<string, number> = {};
    const record = (kind: string, ms: number) => (latencies[kind] ??= []).push(ms);
    const fail = (what: string) => (errors[what] = (errors[what] ?? 0) + 1);
    const deadline = performance.now() + seconds * 1000;
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: options.clients }, async () => {
      while (performance.now() < deadline) {
        const item = options.requests[next++ % options.requests.length];
        let t = performance.now();
        const first = await get(item.path).catch((e: Error) => ({ status: 0, body: e.message }));
        record(item.kind, performance.now() - t);
        if (first.status !== 200) {
          fail(`${item.kind}: ${first.status} ${first.body.slice(0, 120)}`);
          continue;
        }
        if (!item.follow) continue;
        const cursor = (JSON.parse(first.body) as { nextCursor: string | null }).nextCursor;
        if (!cursor) continue;
        t = performance.now();
        const second = await get(`${item.path}&cursor=${cursor}`).catch((e: Error) => ({ status: 0, body: e.message }));
        record(`${item.kind} page 2`, performance.now() - t);
        if (second.status !== 200) fail(`${item.kind} page 2: ${second.status} ${second.body.slice(0, 120)}`);
      }
    }));
    return { seconds: (performance.now() - started) / 1000, latencies, errors };
  };

  if (options.warmupSeconds > 0) await run(options.warmupSeconds);
  const result = await run(options.seconds);
  agent.destroy();
  return result;
}

if (!isMainThread && (workerData as { httpLoad?: LoadOptions } | null)?.httpLoad) {
  work((workerData as { httpLoad: LoadOptions }).httpLoad).then(
    (result) => parentPort!.postMessage(result),
    (error: unknown) => {
      throw error;
    },
  );
}
