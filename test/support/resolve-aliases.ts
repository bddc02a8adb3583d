import Module from 'node:module';
import path from 'node:path';

/**
 * Jest's `moduleNameMapper` maps `@chanxiao/<lib>` inside test files, but global setup runs in plain Node.
 * This teaches Node's resolver the same aliases (tsconfig `paths`) for that one process.
 */
const root = path.resolve(__dirname, '../..');
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function resolveAlias(request: string, ...rest: unknown[]) {
  const alias = /^@chanxiao\/([a-z-]+)(\/.*)?$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', alias[2] ?? '') : request;
  return original.call(this, target, ...rest);
};
