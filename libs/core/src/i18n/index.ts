export * from './accept-language';
export * from './message-catalog';
export * from './localize-error';
