import { createSecretKey } from 'node:crypto';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { APP_KIND, AuthGuard } from './auth/auth.guard';
import { LoginThrottleService } from './auth/login-throttle.service';
import type { AppKind } from './auth/principal';
import { TokenStateReader } from './auth/token-state.reader';
import { AppConfig } from './config/app-config';
import { postgresOptions } from './db/database';
import { GlobalExceptionFilter } from './errors/global-exception.filter';
import { createValidationPipe } from './errors/validation';
import { HealthController } from './observability/health.controller';
import { MetricsController } from './observability/metrics.controller';
import { MetricsService } from './observability/metrics.service';
import { OutboxEvent } from './outbox/outbox-event.entity';
import { OutboxService } from './outbox/outbox.service';
import { OutboxConsumerService } from './outbox/outbox-consumer.service';
import { ProcessedEvent } from './outbox/processed-event.entity';
import { QueueModule } from './queue/queue.module';
import { RedisModule } from './redis/redis.module';

export interface CoreModuleOptions {
  app: AppKind | 'matcher' | 'cli';
  config: AppConfig;
}

/**
 * The platform every app stands on: validated config, PostgreSQL (migrations only), Redis and BullMQ with the
 * configured prefix, JSON logs with request ids, the error filter, strict validation, the auth guard, the
 * outbox, `/health` and `/metrics`.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot({ app, config }: CoreModuleOptions): DynamicModule {
    const configProvider = { provide: AppConfig, useValue: config };
    return {
      module: CoreModule,
      imports: [
        ConfigHolderModule.with(configProvider),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            base: { app },
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          },
        }),
        TypeOrmModule.forRoot({ ...postgresOptions(config), autoLoadEntities: true }),
        TypeOrmModule.forFeature([OutboxEvent, ProcessedEvent]),
        RedisModule,
        QueueModule,
        TerminusModule,
        // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM public key on every
        // verify and catches the failure, which took a fifth of the buyer app's CPU under search load.
        JwtModule.register({
          global: true,
          secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')),
          signOptions: { expiresIn: config.JWT_TTL_SECONDS, algorithm: 'HS256' },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_KIND, useValue: app },
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_GUARD, useClass: AuthGuard },
        TokenStateReader,
        MetricsService,
        OutboxService,
        OutboxConsumerService,
        LoginThrottleService,
      ],
      exports: [ConfigHolderModule, APP_KIND, MetricsService, OutboxService, OutboxConsumerService, LoginThrottleService, QueueModule],
    };
  }
}

/** Makes the config injectable everywhere, including inside the async factories above. */
@Global()
@Module({})
class ConfigHolderModule {
  static with(provider: { provide: typeof AppConfig; useValue: AppConfig }): DynamicModule {
    return { module: ConfigHolderModule, providers: [provider], exports: [provider] };
  }
}
