import { Module } from '@nestjs/common';
import { OutboxRelayService } from './outbox-relay.service';

/** Runs the outbox relay; only the matcher imports it (the HTTP apps only write the outbox). */
@Module({
  providers: [OutboxRelayService],
  exports: [OutboxRelayService],
})
export class OutboxRelayModule {}
