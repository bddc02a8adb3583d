import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig, REDIS } from '@chanxiao/core';

const WINDOW_SECONDS = 60;

/** Whether a request may go on, and if not, in how many seconds it may. */
export interface ThrottleVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Requests per client IP to the public pages, counted in Redis (under the app's key prefix, so every process of
 * the buyer app shares the count) in a fixed one-minute window that starts with the IP's first request. Past
 * `PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE` the pages answer 429 until the window ends. If Redis is down the pages stay
 * open (and it is logged) rather than shut for everyone.
 */
@Injectable()
export class PublicPageThrottle {
  private readonly logger = new Logger(PublicPageThrottle.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async check(ip: string): Promise<ThrottleVerdict> {
    const key = `public-pages:ip:${ip}`;
    try {
      const replies = await this.redis.multi().incr(key).expire(key, WINDOW_SECONDS, 'NX').ttl(key).exec();
      const count = Number(replies?.[0]?.[1] ?? 0);
      const ttl = Number(replies?.[2]?.[1] ?? WINDOW_SECONDS);
      return { allowed: count <= this.config.PUBLIC_PAGE_RATE_LIMIT_PER_MINUTE, retryAfterSeconds: Math.max(ttl, 1) };
    } catch (error) {
      this.logger.warn(`public page throttle unavailable: ${(error as Error).message}`);
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }
}
