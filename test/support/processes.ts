import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

// Under Jest this file is TypeScript and the apps run from `dist/`; compiled into `dist-bench/` (benchmarks) the
// apps sit next to it in the same output tree.
const COMPILED = __filename.endsWith('.js');
const ROOT = COMPILED ? path.resolve(__dirname, '../../..') : path.resolve(__dirname, '../..');
const mainOf = (app: string) => (COMPILED ? path.resolve(__dirname, `../../apps/${app}/src/main.js`) : path.join(ROOT, `dist/apps/${app}/src/main.js`));

/** A free TCP port on 127.0.0.1 (closed again, so a child process can take it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real app process started from the build (`dist/`, which `npm test` builds first; `dist-bench/` for benchmarks),
 * for tests that must kill one (`kill -9`) or run several at once. Its stderr is kept for the failure message.
 */
export class AppProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  output = '';

  constructor(app: 'seller' | 'buyer' | 'matcher' | 'agency', vars: Record<string, string>, nodeArgs: string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, mainOf(app)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...vars },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: no shutdown hook runs, open transactions die with the connection, active jobs are left locked. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait: a graceful shutdown. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await this.kill9();
  }
}
