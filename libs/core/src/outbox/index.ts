export * from './outbox-event.entity';
export * from './outbox.service';
export * from './processed-event.entity';
export * from './outbox-consumer.service';
export * from './outbox-relay.service';
export * from './outbox-relay.module';
