import highsLoader, { type Highs } from 'highs';

let loading: Promise<Highs> | undefined;

/**
 * The HiGHS WebAssembly runtime (npm `highs`, pinned), loaded once per process and shared. Each LP is a
 * persistent model disposed right after its solve, so the Wasm heap (which never shrinks, 2 GiB at most) only
 * ever holds the largest single model.
 */
export function loadHighs(): Promise<Highs> {
  loading ??= highsLoader();
  return loading;
}
