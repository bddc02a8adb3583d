export * from './domain-error';
export * from './error-body';
export * from './global-exception.filter';
export * from './validation';
export * from './field-validator';
