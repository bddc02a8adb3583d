import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import IORedis, { type Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';

/** Injection token of the application's ioredis client; its keys are prefixed with `${REDIS_PREFIX}:`. */
export const REDIS = Symbol('REDIS');

/**
 * Opens a Redis connection for the app's own keys (throttles, caches). Commands fail fast while Redis is down
 * instead of queueing, so a request that only wants Redis for a side concern is not held up.
 */
export function createRedisClient(config: AppConfig, options: { keyPrefix?: boolean } = {}): Redis {
  const client = new IORedis(config.REDIS_URL, {
    keyPrefix: options.keyPrefix === false ? undefined : `${config.REDIS_PREFIX}:`,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    lazyConnect: false,
  });
  // Without a listener ioredis prints every reconnect failure; log the first of each outage instead.
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn(`redis unavailable: ${error.message}`);
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.log('redis connection restored');
    down = false;
  });
  return client;
}

const logger = new Logger('Redis');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [{ provide: REDIS, inject: [AppConfig], useFactory: (config: AppConfig) => createRedisClient(config) }, RedisCloser],
  exports: [REDIS],
})
export class RedisModule {}
