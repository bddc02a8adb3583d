import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../redis/redis.module';

/**
 * `/health`: 200 when PostgreSQL and Redis both answer within a second, 503 otherwise. `payments` says whether
 * online payment (Stripe) is configured; it never makes the app unhealthy (bank transfer still works).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck('postgres', { timeout: 1000 }), () => this.pingRedis(), () => this.payments()]);
  }

  private payments() {
    const indicator = this.indicators.check('payments');
    if (!this.config.stripeEnabled) {
      return indicator.up({ online: false, methods: ['bank_transfer'], message: 'online payment is disabled (STRIPE_SECRET_KEY is not set): orders are paid by bank transfer only' });
    }
    const mode = this.config.STRIPE_SECRET_KEY.includes('_live_') ? 'live' : 'test';
    return indicator.up({ online: true, methods: ['bank_transfer', 'stripe'], provider: 'stripe', mode });
  }

  private async pingRedis() {
    const indicator = this.indicators.check('redis');
    try {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 1000 ms')), 1000).unref());
      await Promise.race([this.redis.ping(), timeout]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
