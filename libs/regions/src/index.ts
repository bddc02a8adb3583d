export * from './geo.util';
export * from './region.entity';
export * from './regions.module';
export * from './regions.service';
export * from './regions.controller';
