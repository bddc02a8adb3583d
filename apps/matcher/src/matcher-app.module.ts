import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, CoreModule } from '@chanxiao/core';

/**
 * The matcher: the same providers as the HTTP apps but no API controllers, only `/health` and `/metrics`.
 * Its BullMQ workers (outbox relay, matching, expiry) arrive with the matcher issue.
 */
@Module({})
export class MatcherAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: MatcherAppModule, imports: [CoreModule.forRoot({ app: 'matcher', config })] };
  }
}
