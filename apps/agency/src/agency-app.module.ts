import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, CoreModule } from '@chanxiao/core';
import { IdentityModule, SessionController } from '@chanxiao/identity';

/** The agency app: staff of poverty-alleviation and commerce offices watch sales in their region. */
@Module({})
export class AgencyAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AgencyAppModule,
      imports: [CoreModule.forRoot({ app: 'agency', config }), IdentityModule],
      controllers: [SessionController],
    };
  }
}
