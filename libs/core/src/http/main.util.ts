import { existsSync } from 'node:fs';
import { type AppConfig, type AppPort, ConfigError, loadConfig } from '../config/app-config';

/** Loads the config for an app's `main.ts`; a bad or missing variable ends the process with a clear message. */
export function loadConfigOrExit(): AppConfig {
  // A developer's .env (written by scripts/setup.sh) fills what the environment leaves unset.
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`chanxiao: cannot start. ${error.message}\n`);
      for (const p of error.problems) process.stderr.write(`  - ${p.variable}: ${p.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The whole of an app's `main.ts`: validated config, the Fastify app, listen on the app's port. Logs and exits
 * non-zero if start-up fails (database unreachable, port taken).
 */
export async function runHttpApp(
  buildModule: (config: AppConfig) => object,
  options: { name: string; description: string; port: AppPort; docs?: boolean },
): Promise<void> {
  const config = loadConfigOrExit();
  try {
    const { createHttpApp } = await import('./http-app');
    const app = await createHttpApp(buildModule(config), { ...options, config });
    await app.listen({ port: config[options.port], host: '0.0.0.0' });
  } catch (error) {
    process.stderr.write(`chanxiao ${options.name}: start-up failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
}
