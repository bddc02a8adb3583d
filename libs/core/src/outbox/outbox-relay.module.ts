import { type DynamicModule, Module } from '@nestjs/common';
import { OUTBOX_ROUTES, type OutboxRoute, OutboxRelayService } from './outbox-relay.service';

/** Runs the outbox relay; only the matcher imports it (the HTTP apps only write the outbox). */
@Module({
  providers: [OutboxRelayService],
  exports: [OutboxRelayService],
})
export class OutboxRelayModule {
  /** The relay with a routing table: each queue gets the event types it lists (see {@link OutboxRoute}). */
  static withRoutes(routes: readonly OutboxRoute[]): DynamicModule {
    return { module: OutboxRelayModule, providers: [{ provide: OUTBOX_ROUTES, useValue: routes }, OutboxRelayService], exports: [OutboxRelayService] };
  }
}
