export * from './categories.controller';
export * from './categories.module';
export * from './categories.service';
export * from './category.entity';
export * from './category-taxonomy';
