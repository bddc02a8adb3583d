export * from './dto/listing.dto';
export * from './listing.entity';
export * from './listing.rules';
export * from './listing.state-machine';
export * from './listing.view';
export * from './listings.module';
export * from './listings.service';
export * from './quantity.util';
