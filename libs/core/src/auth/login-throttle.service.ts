import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../errors/domain-error';
import { REDIS } from '../redis/redis.module';

/**
 * Counts failed logins per phone and per client IP in Redis, in a fixed window. Past the limit, logins for that
 * phone or from that IP answer 429 until the window ends. If Redis is down the throttle lets logins through
 * (and logs it) rather than lock everyone out.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async assertAllowed(phone: string, ip: string): Promise<void> {
    const counts = await this.safely(() => this.redis.mget(phoneKey(phone), ipKey(ip)));
    if (!counts) return;
    const [byPhone, byIp] = counts.map((c) => Number(c ?? 0));
    if (byPhone >= this.config.LOGIN_MAX_FAILURES_PER_PHONE || byIp >= this.config.LOGIN_MAX_FAILURES_PER_IP) {
      const ttl = (await this.safely(() => this.redis.ttl(byPhone >= this.config.LOGIN_MAX_FAILURES_PER_PHONE ? phoneKey(phone) : ipKey(ip)))) ?? 0;
      throw new DomainError('too_many_requests', 'auth.throttled', `too many failed logins; try again in ${Math.max(ttl, 1)} seconds`);
    }
  }

  async recordFailure(phone: string, ip: string): Promise<void> {
    const window = this.config.LOGIN_WINDOW_SECONDS;
    await this.safely(() =>
      this.redis.multi().incr(phoneKey(phone)).expire(phoneKey(phone), window, 'NX').incr(ipKey(ip)).expire(ipKey(ip), window, 'NX').exec(),
    );
  }

  async recordSuccess(phone: string): Promise<void> {
    await this.safely(() => this.redis.del(phoneKey(phone)));
  }

  private async safely<T>(command: () => Promise<T>): Promise<T | undefined> {
    try {
      return await command();
    } catch (error) {
      this.logger.warn(`login throttle unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }
}

const phoneKey = (phone: string) => `login-failures:phone:${phone}`;
const ipKey = (ip: string) => `login-failures:ip:${ip}`;
