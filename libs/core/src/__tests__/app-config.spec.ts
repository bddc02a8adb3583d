import { ConfigError, loadConfig } from '../config/app-config';

const SECRET = 'x'.repeat(32);

function problemsOf(env: NodeJS.ProcessEnv) {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('fills defaults and converts numbers', () => {
    const config = loadConfig({ JWT_SECRET: SECRET, SELLER_PORT: '4001' });
    expect(config.SELLER_PORT).toBe(4001);
    expect(config.BUYER_PORT).toBe(3002);
    expect(config.REDIS_PREFIX).toBe('chanxiao');
  });

  it('names a missing required variable', () => {
    expect(problemsOf({})).toEqual([{ variable: 'JWT_SECRET', message: 'is missing' }]);
  });

  it('names each bad variable with what is wrong', () => {
    const problems = problemsOf({ JWT_SECRET: 'short', SELLER_PORT: 'abc', DATABASE_URL: 'mysql://x', NODE_ENV: 'staging' });
    expect(problems.map((p) => p.variable).sort()).toEqual(['DATABASE_URL', 'JWT_SECRET', 'NODE_ENV', 'SELLER_PORT']);
    expect(problems.find((p) => p.variable === 'DATABASE_URL')?.message).toBe('must be a postgres:// URL');
    expect(problems.find((p) => p.variable === 'JWT_SECRET')?.message).toBe('must be at least 32 characters');
  });

  it('builds one message that names every variable', () => {
    expect(() => loadConfig({ JWT_SECRET: SECRET, REDIS_PREFIX: 'has spaces' })).toThrow(/REDIS_PREFIX must be 1-64 characters/);
  });

  it('leaves online payment off without a Stripe key, and wants the webhook secret with one', () => {
    expect(loadConfig({ JWT_SECRET: SECRET }).stripeEnabled).toBe(false);
    expect(problemsOf({ JWT_SECRET: SECRET, STRIPE_SECRET_KEY: 'sk_test_abc' })).toEqual([
      { variable: 'STRIPE_WEBHOOK_SECRET', message: 'is missing' },
    ]);
    expect(problemsOf({ JWT_SECRET: SECRET, STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).map((p) => p.variable)).toEqual(['STRIPE_SECRET_KEY']);
    const config = loadConfig({ JWT_SECRET: SECRET, STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x', STRIPE_PLATFORM_FEE_BPS: '250' });
    expect(config.stripeEnabled).toBe(true);
    expect(config.STRIPE_PLATFORM_FEE_BPS).toBe(250);
    expect(problemsOf({ JWT_SECRET: SECRET, STRIPE_PAYMENT_METHOD_TYPES: 'card,paypal' }).map((p) => p.variable)).toEqual(['STRIPE_PAYMENT_METHOD_TYPES']);
  });
});
