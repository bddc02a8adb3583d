import { DataSource } from 'typeorm';
import { IdentityService } from '@chanxiao/identity';
import { type RunningApp, startApp } from '../support/apps';
import { buyerRegistration, makeBuyer, makeCooperative, makePhone, makeUscc, sellerRegistration, TEST_PASSWORD } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

describe('organisations and auth', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let agency: RunningApp;
  let db: DataSource;

  const count = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM "${table}"`))[0].n);

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    buyer = await startApp('buyer', env);
    agency = await startApp('agency', env, env.configWith({ LOGIN_MAX_FAILURES_PER_PHONE: '3' }));
    db = seller.app.get(DataSource);
  });

  afterAll(async () => {
    for (const app of [seller, buyer, agency]) await app?.close();
    await env?.destroy();
  });

  describe('seller', () => {
    it('registers a cooperative, logs in and sees itself', async () => {
      const input = sellerRegistration();
      const registered = await seller.http.post('/api/v1/auth/register', input);
      expect(registered.status).toBe(201);
      expect(registered.body.accessToken).toEqual(expect.any(String));
      expect(registered.body.organization).toEqual({
        id: expect.any(String),
        name: input.organization.name,
        creditCode: input.organization.creditCode,
        regionCode: '532627',
        regionName: '广南县',
        kind: 'seller',
        povertyHouseholds: 86,
        contactPhone: input.organization.contactPhone,
        isPovertyCounty: true,
        isSupervisedCounty: true,
      });
      expect(registered.body.user).toMatchObject({ phone: input.user.phone, name: '陆光明', role: 'admin' });
      expect(JSON.stringify(registered.body)).not.toMatch(/password|\$argon2/i);

      const login = await seller.http.post('/api/v1/auth/login', { phone: input.user.phone, password: TEST_PASSWORD });
      expect(login.status).toBe(200);
      const me = await seller.http.get('/api/v1/me', login.body.accessToken);
      expect(me.status).toBe(200);
      expect(me.body.organization.id).toBe(registered.body.organization.id);
      expect(me.body.user.id).toBe(registered.body.user.id);
    });

    it('stores the hash as argon2id, never the password', async () => {
      const { input } = await makeCooperative(seller.http);
      const [row] = await db.query(`SELECT password_hash FROM users WHERE phone = $1`, [input.user.phone]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('writes an organization.registered outbox event in the same transaction', async () => {
      const { organization } = await makeCooperative(seller.http);
      const events = await db.query(`SELECT type, payload FROM outbox_events WHERE aggregate_id = $1`, [organization.id]);
      expect(events).toEqual([{ type: 'organization.registered', payload: { kind: 'seller', regionCode: '532627', buyerType: null } }]);
    });

    it('refuses a region that is not a county', async () => {
      const response = await seller.http.post('/api/v1/auth/register', sellerRegistration({ organization: { regionCode: '530000' } }));
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field: 'organization.regionCode', message: '530000 (云南省) is a province; a seller must give its county' }]);
    });

    it('recognises an old code of a poverty county and stores the current one', async () => {
      // 540530 错那县 (on the 2020 poverty list) is now 540581 错那市.
      const response = await seller.http.post('/api/v1/auth/register', sellerRegistration({ organization: { regionCode: '540530' } }));
      expect(response.status).toBe(201);
      expect(response.body.organization).toMatchObject({ regionCode: '540581', isPovertyCounty: true });
    });
  });

  describe('buyer', () => {
    it.each(['wholesale_market', 'ecommerce', 'public_welfare_market', 'logistics', 'consumption_assistance', 'retailer'])(
      'registers a %s buyer, which may sit in any region',
      async (buyerType) => {
        const registered = await buyer.http.post('/api/v1/auth/register', buyerRegistration({ organization: { buyerType, regionCode: '440000' } }));
        expect(registered.status).toBe(201);
        expect(registered.body.organization).toMatchObject({ kind: 'buyer', buyerType, regionCode: '440000', isPovertyCounty: false });
        const me = await buyer.http.get('/api/v1/me', registered.body.accessToken);
        expect(me.body.organization.buyerType).toBe(buyerType);
      },
    );

    it('refuses an unknown buyer type naming the field', async () => {
      const response = await buyer.http.post('/api/v1/auth/register', buyerRegistration({ organization: { buyerType: 'bank' } }));
      expect(response.status).toBe(400);
      expect(response.body.details).toEqual([{ field: 'organization.buyerType', message: expect.stringContaining('wholesale_market') }]);
    });
  });

  describe('tokens are per app', () => {
    it("refuses a seller's token in the buyer app", async () => {
      const { accessToken } = await makeCooperative(seller.http);
      const response = await buyer.http.get('/api/v1/me', accessToken);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('auth.wrong_app');
    });

    it("answers a seller's phone in the buyer app as wrong credentials", async () => {
      const { input } = await makeCooperative(seller.http);
      const response = await buyer.http.post('/api/v1/auth/login', { phone: input.user.phone, password: TEST_PASSWORD });
      expect(response.status).toBe(401);
      expect(response.body.message).toBe('the phone number or password is wrong');
    });
  });

  describe('duplicates', () => {
    it('answers 409 for a phone already registered, naming the field, and writes nothing', async () => {
      const { input } = await makeCooperative(seller.http);
      const before = await count('organizations');
      const again = sellerRegistration({ user: { phone: input.user.phone } });
      const response = await seller.http.post('/api/v1/auth/register', again);
      expect(response.status).toBe(409);
      expect(response.body.details).toEqual([{ field: 'user.phone', message: 'is already registered' }]);
      expect(await count('organizations')).toBe(before);
    });

    it('answers 409 for a credit code already registered, across apps', async () => {
      const { input } = await makeCooperative(seller.http);
      const response = await buyer.http.post('/api/v1/auth/register', buyerRegistration({ organization: { creditCode: input.organization.creditCode } }));
      expect(response.status).toBe(409);
      expect(response.body.details).toEqual([{ field: 'organization.creditCode', message: 'is already registered' }]);
    });

    it('lets exactly one of ten concurrent registrations with the same phone through', async () => {
      const phone = makePhone();
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => seller.http.post('/api/v1/auth/register', sellerRegistration({ user: { phone } }))),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
      expect(Number((await db.query(`SELECT count(*) AS n FROM users WHERE phone = $1`, [phone]))[0].n)).toBe(1);
      // The losers' organisations were rolled back with their users.
      expect(Number((await db.query(`SELECT count(*) AS n FROM organizations o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.organization_id = o.id)`))[0].n)).toBe(0);
    });
  });

  describe('agency users from the CLI service', () => {
    it('logs in to the agency app with a token scoped to its region', async () => {
      const phone = makePhone();
      await seller.app.get(IdentityService).createAgencyUser({ phone, password: TEST_PASSWORD, name: '杨晓梅', regionCode: '530000' });
      const login = await agency.http.post('/api/v1/auth/login', { phone, password: TEST_PASSWORD });
      expect(login.status).toBe(200);
      const me = await agency.http.get('/api/v1/me', login.body.accessToken);
      expect(me.body).toMatchObject({
        user: { phone, role: 'agency_staff', regionCode: '530000' },
        organization: { kind: 'agency', regionCode: '530000', regionName: '云南省', creditCode: null },
      });
      const claims = JSON.parse(Buffer.from(login.body.accessToken.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({ kind: 'agency', role: 'agency_staff', region: '530000', exp: expect.any(Number) });
      // Agency users exist only through the CLI: no registration route in the agency app.
      expect((await agency.http.post('/api/v1/auth/register', {})).status).toBe(404);
    });

    it('puts a second user of the same region in the same office', async () => {
      const identity = seller.app.get(IdentityService);
      const a = await identity.createAgencyUser({ phone: makePhone(), password: TEST_PASSWORD, name: '甲', regionCode: '532600' });
      const b = await identity.createAgencyUser({ phone: makePhone(), password: TEST_PASSWORD, name: '乙', regionCode: '532600' });
      expect(b.organization.id).toBe(a.organization.id);
    });
  });

  describe('login throttling', () => {
    it('answers 429 after too many failures for one phone, even with the right password', async () => {
      const phone = makePhone();
      await seller.app.get(IdentityService).createAgencyUser({ phone, password: TEST_PASSWORD, name: '韦德明', regionCode: '532627' });
      for (let i = 0; i < 3; i++) {
        expect((await agency.http.post('/api/v1/auth/login', { phone, password: 'Wrong-password-1' })).status).toBe(401);
      }
      const blocked = await agency.http.post('/api/v1/auth/login', { phone, password: TEST_PASSWORD });
      expect(blocked.status).toBe(429);
      expect(blocked.body.message).toMatch(/too many failed logins; try again in \d+ seconds/);
      // Another phone from the same IP is not blocked yet (the per-IP limit is higher).
      expect((await agency.http.post('/api/v1/auth/login', { phone: makePhone(), password: 'Wrong-password-1' })).status).toBe(401);
    });
  });

  describe('bad input never answers 500 and never writes', () => {
    const cases: [string, () => { raw?: string; body?: unknown; headers?: Record<string, string> }, number, string[]][] = [
      ['malformed JSON', () => ({ raw: '{"organization": {' }), 400, []],
      ['a JSON array', () => ({ body: [1, 2] }), 400, []],
      ['an empty object', () => ({ body: {} }), 400, ['organization', 'user']],
      ['wrong types', () => ({ body: { ...sellerRegistration(), organization: { ...sellerRegistration().organization, povertyHouseholds: 'many', regionCode: 532627 } } }), 400, ['organization.regionCode', 'organization.povertyHouseholds']],
      ['unknown fields', () => ({ body: { ...sellerRegistration(), isAdmin: true, user: { ...sellerRegistration().user, role: 'admin' } } }), 400, ['isAdmin', 'user.role']],
      ['missing fields', () => ({ body: { organization: { name: '某合作社' }, user: { phone: makePhone() } } }), 400, ['organization.creditCode', 'organization.regionCode', 'organization.contactPhone', 'organization.povertyHouseholds', 'user.password', 'user.name']],
      ['a bad USCC check character', () => { const r = sellerRegistration(); const c = r.organization.creditCode; r.organization.creditCode = c.slice(0, 17) + (c[17] === '0' ? '1' : '0'); return { body: r }; }, 400, ['organization.creditCode']],
      ['a USCC with a letter O', () => ({ body: sellerRegistration({ organization: { creditCode: '93532627MA6N3O0001' } }) }), 400, ['organization.creditCode']],
      ['an unknown region', () => ({ body: sellerRegistration({ organization: { regionCode: '999999', creditCode: makeUscc() } }) }), 400, ['organization.regionCode']],
      ['a bad mobile number', () => ({ body: sellerRegistration({ user: { phone: '0871-1234567' } }) }), 400, ['user.phone']],
      ['a weak password', () => ({ body: sellerRegistration({ user: { password: 'password' } }) }), 400, ['user.password']],
      ['an oversize body', () => ({ body: { ...sellerRegistration(), padding: 'x'.repeat(2 * 1024 * 1024) } }), 413, []],
      ['an unsupported content type', () => ({ raw: '<phone>1</phone>', headers: { 'content-type': 'application/xml' } }), 415, []],
      ['a text body', () => ({ raw: 'phone=1', headers: { 'content-type': 'text/plain' } }), 400, []],
    ];

    it.each(cases)('%s', async (_, make, status, fields) => {
      const before = await Promise.all([count('organizations'), count('users'), count('outbox_events')]);
      const { raw, body, headers } = make();
      const response = await seller.http.request('POST', '/api/v1/auth/register', { raw, body, headers });
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
      if (fields.length) {
        const named = response.body.details.map((d: { field: string }) => d.field);
        expect(named).toEqual(expect.arrayContaining(fields));
        for (const d of response.body.details) expect(d.message).toEqual(expect.any(String));
      }
      expect(await Promise.all([count('organizations'), count('users'), count('outbox_events')])).toEqual(before);
    });

    it('refuses a login body with a bad phone with 400 naming it', async () => {
      const response = await seller.http.post('/api/v1/auth/login', { phone: 'abc', password: 'x', extra: 1 });
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'phone']);
    });
  });

  it('makes buyers through the factory too', async () => {
    const made = await makeBuyer(buyer.http);
    expect((await buyer.http.get('/api/v1/me', made.accessToken)).body.organization.id).toBe(made.organization.id);
  });
});
