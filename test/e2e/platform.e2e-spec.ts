import { DataSource } from 'typeorm';
import { type AppName, type RunningApp, startApp } from '../support/apps';
import { createTestEnv, type TestEnv } from '../support/test-env';

const APPS: AppName[] = ['seller', 'buyer', 'agency', 'matcher'];

describe('every app on real PostgreSQL and Redis', () => {
  let env: TestEnv;
  const running: Partial<Record<AppName, RunningApp>> = {};

  beforeAll(async () => {
    env = await createTestEnv();
    for (const name of APPS) running[name] = await startApp(name, env);
  });

  afterAll(async () => {
    for (const app of Object.values(running)) await app?.close();
    await env?.destroy();
  });

  it.each(APPS)('%s answers /health with PostgreSQL and Redis up', async (name) => {
    const response = await running[name]!.http.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it.each(APPS)('%s serves Prometheus metrics with request counts by route and process metrics', async (name) => {
    const http = running[name]!.http;
    await http.get('/health');
    const response = await http.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.text).toMatch(new RegExp(`http_requests_total\\{[^}]*method="GET",route="/health",status="200"[^}]*app="${name}"[^}]*\\} [1-9]`));
    expect(response.text).toContain('http_request_duration_seconds_bucket');
    expect(response.text).toContain('process_resident_memory_bytes');
  });

  it.each(['seller', 'buyer', 'agency'] as const)('%s serves OpenAPI at /docs with its API under /api/v1', async (name) => {
    const page = await running[name]!.http.get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
    const spec = await running[name]!.http.get('/docs/json');
    expect(spec.status).toBe(200);
    expect(Object.keys(spec.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me']));
  });

  it('the matcher serves no API and no docs', async () => {
    expect((await running.matcher!.http.get('/docs')).status).toBe(404);
    expect((await running.matcher!.http.get('/api/v1/me')).status).toBe(404);
  });

  it('echoes a request id, or makes one, on every response', async () => {
    const own = await running.seller!.http.request('GET', '/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(own.headers.get('x-request-id')).toBe('trace-abc-123');
    const made = await running.seller!.http.get('/health');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with the JSON error shape', async () => {
    const response = await running.buyer!.http.get('/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('/api/v1/nothing-here') });
  });

  it('needs a token for protected routes', async () => {
    const response = await running.seller!.http.get('/api/v1/me');
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code: 'auth.missing_token' });
    const forged = await running.seller!.http.get('/api/v1/me', 'eyJhbGciOiJIUzI1NiJ9.e30.AAAA');
    expect(forged.body.code).toBe('auth.invalid_token');
  });

  it('serves the produce taxonomy in seller and buyer apps', async () => {
    for (const name of ['seller', 'buyer'] as const) {
      const response = await running[name]!.http.get('/api/v1/categories');
      expect(response.status).toBe(200);
      const leaves = response.body.items.filter((c: { parentCode: string | null }) => c.parentCode !== null);
      expect(leaves.length).toBeGreaterThanOrEqual(60);
      expect(response.body.nextCursor).toBeNull();
      expect(response.body.items[0]).toEqual({
        code: expect.any(String),
        parentCode: null,
        nameZh: expect.any(String),
        nameEn: expect.any(String),
        perishability: expect.stringMatching(/^(high|medium|low)$/),
        typicalShelfLifeDays: expect.any(Number),
        coldChainRequired: expect.any(Boolean),
      });
    }
  });
});

describe('health when Redis is unreachable', () => {
  let env: TestEnv;
  let app: RunningApp;

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp('seller', env, env.configWith({ REDIS_URL: 'redis://127.0.0.1:1' }));
  });

  afterAll(async () => {
    await app?.close();
    await env?.destroy();
  });

  it('reports 503 naming Redis as down, and Postgres as up', async () => {
    const response = await app.http.get('/health');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ status: 'error', info: { postgres: { status: 'up' } }, error: { redis: { status: 'down' } } });
  });
});

describe('an app whose database pool is exhausted', () => {
  let env: TestEnv;
  let app: RunningApp;

  beforeAll(async () => {
    env = await createTestEnv();
    app = await startApp('seller', env, env.configWith({ DB_POOL_SIZE: '1' }));
  });

  afterAll(async () => {
    await app?.close();
    await env?.destroy();
  });

  it('answers 503 db.unavailable with Retry-After, not 500, while no connection frees up in time', async () => {
    const db = app.app.get(DataSource);
    // The only connection sleeps past the pool's 5 s connection timeout.
    const busy = db.query('SELECT pg_sleep(6.5)');
    const login = () => app.http.post('/api/v1/auth/login', { phone: '13900000000', password: 'Harvest2020apples' });
    const response = await login();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body).toMatchObject({ statusCode: 503, code: 'db.unavailable', message: 'the database is busy or unreachable; retry shortly', correlationId: expect.any(String) });
    await busy;
    // With the connection back, the same request reaches the database and gets its ordinary answer.
    expect((await login()).status).toBe(401);
  }, 20_000);
});
