export * from './admin-only.decorator';
export * from './auth.guard';
export * from './login-throttle.service';
export * from './password.util';
export * from './principal';
export * from './public.decorator';
export * from './token-state.reader';
