import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { DataSource, DataSource as TypeOrmDataSource } from 'typeorm';
import { postgresOptions } from '@chanxiao/core';
import { IdentityService, PayoutAccountService } from '@chanxiao/identity';
import { MIGRATIONS } from '@chanxiao/migrations';
import { type HttpClient, type RunningApp, startApp } from '../support/apps';
import { listingInput, makeBuyer, makeCooperative, makePhone, TEST_PASSWORD } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';

const STAFF_PASSWORD = 'Packhouse2020crates';
const NEW_PASSWORD = 'Terraces2021harvest';
const ACCOUNT = { accountName: '广南县八宝贡米农民专业合作社', bankName: '中国农业银行广南县支行', accountNo: '6228 4801 2345 6789 012' };

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const fields = (body: { details?: { field: string }[] }) => (body.details ?? []).map((d) => d.field);

describe('organisation accounts: roles, members, payout account, password', () => {
  let env: TestEnv;
  let seller: RunningApp;
  let buyer: RunningApp;
  let agency: RunningApp;
  let db: DataSource;

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(`SELECT count(*) AS n FROM ${sql}`, params))[0].n);
  const events = (type: string, aggregateId: string) => db.query(`SELECT payload FROM outbox_events WHERE type = $1 AND aggregate_id = $2 ORDER BY id`, [type, aggregateId]);
  const put = (http: HttpClient, path: string, body: unknown, token: string) => http.request('PUT', path, { body, token });
  const del = (http: HttpClient, path: string, token: string) => http.request('DELETE', path, { token });

  /** An admin adds a member through the API; the member logs in. */
  async function addMember(http: HttpClient, adminToken: string, role: 'admin' | 'staff' = 'staff') {
    const phone = makePhone();
    const added = await http.post('/api/v1/organization/members', { phone, name: '李秀英', password: STAFF_PASSWORD, role }, adminToken);
    if (added.status !== 201) throw new Error(`addMember: ${added.status} ${added.text}`);
    const login = await http.post('/api/v1/auth/login', { phone, password: STAFF_PASSWORD });
    if (login.status !== 200) throw new Error(`addMember login: ${login.status} ${login.text}`);
    return { userId: added.body.userId as string, phone, token: login.body.accessToken as string };
  }

  beforeAll(async () => {
    env = await createTestEnv();
    seller = await startApp('seller', env);
    buyer = await startApp('buyer', env);
    agency = await startApp('agency', env);
    db = seller.app.get(DataSource);
  });

  afterAll(async () => {
    for (const app of [seller, buyer, agency]) await app?.close();
    await env?.destroy();
  });

  describe('roles', () => {
    it('makes the registering user the admin, in /me and in the token', async () => {
      const coop = await makeCooperative(seller.http);
      expect(coop.user).toMatchObject({ role: 'admin' });
      expect(claimsOf(coop.accessToken)).toMatchObject({ role: 'admin', ver: 0 });
      expect((await seller.http.get('/api/v1/me', coop.accessToken)).body.user.role).toBe('admin');
      const b = await makeBuyer(buyer.http);
      expect((await buyer.http.get('/api/v1/me', b.accessToken)).body.user.role).toBe('admin');
    });

    it('shows a member as staff in /me', async () => {
      const coop = await makeCooperative(seller.http);
      const staff = await addMember(seller.http, coop.accessToken);
      const me = await seller.http.get('/api/v1/me', staff.token);
      expect(me.body).toMatchObject({ user: { id: staff.userId, phone: staff.phone, role: 'staff' }, organization: { id: coop.organization.id } });
    });

    it('takes the role from the database on every request, not from the token', async () => {
      const coop = await makeCooperative(seller.http);
      await db.query(`UPDATE users SET role = 'staff' WHERE id = $1`, [coop.user.id]);
      const response = await put(seller.http, '/api/v1/organization/payout-account', ACCOUNT, coop.accessToken);
      expect(response.status).toBe(403);
      expect((await seller.http.get('/api/v1/me', coop.accessToken)).body.user.role).toBe('staff');
    });
  });

  describe('the staff permission matrix', () => {
    let admin: Awaited<ReturnType<typeof makeCooperative>>;
    let staff: Awaited<ReturnType<typeof addMember>>;
    let buyerAdmin: Awaited<ReturnType<typeof makeBuyer>>;
    let buyerStaff: Awaited<ReturnType<typeof addMember>>;

    beforeAll(async () => {
      admin = await makeCooperative(seller.http);
      staff = await addMember(seller.http, admin.accessToken);
      buyerAdmin = await makeBuyer(buyer.http);
      buyerStaff = await addMember(buyer.http, buyerAdmin.accessToken);
    });

    // [app, method, path, body, admin's status, staff's status]; each role gets a fresh target for DELETE.
    const routes: [string, 'seller' | 'buyer', string, string, (() => unknown) | undefined, number, number][] = [
      ['read the payout account', 'seller', 'GET', '/api/v1/organization/payout-account', undefined, 200, 200],
      ['set the payout account', 'seller', 'PUT', '/api/v1/organization/payout-account', () => ACCOUNT, 200, 403],
      ['list members (seller)', 'seller', 'GET', '/api/v1/organization/members', undefined, 200, 200],
      ['add a member (seller)', 'seller', 'POST', '/api/v1/organization/members', () => ({ phone: makePhone(), name: '张三', password: STAFF_PASSWORD, role: 'staff' }), 201, 403],
      ['remove a member (seller)', 'seller', 'DELETE', '/api/v1/organization/members/:target', undefined, 204, 403],
      ['list members (buyer)', 'buyer', 'GET', '/api/v1/organization/members', undefined, 200, 200],
      ['add a member (buyer)', 'buyer', 'POST', '/api/v1/organization/members', () => ({ phone: makePhone(), name: '张三', password: STAFF_PASSWORD, role: 'admin' }), 201, 403],
      ['remove a member (buyer)', 'buyer', 'DELETE', '/api/v1/organization/members/:target', undefined, 204, 403],
    ];

    it.each(routes)('%s: admin and staff', async (_, app, method, path, body, adminStatus, staffStatus) => {
      const http = app === 'seller' ? seller.http : buyer.http;
      const adminToken = app === 'seller' ? admin.accessToken : buyerAdmin.accessToken;
      const staffToken = app === 'seller' ? staff.token : buyerStaff.token;
      for (const [token, expected] of [[adminToken, adminStatus], [staffToken, staffStatus]] as const) {
        const target = path.includes(':target') ? (await addMember(http, adminToken)).userId : '';
        const before = await count('outbox_events');
        const response = await http.request(method, path.replace(':target', target), { body: body?.(), token });
        expect(response.status).toBe(expected);
        if (expected === 403) {
          expect(response.body).toMatchObject({ statusCode: 403, code: 'organization.admin_only', message: 'only an admin of the organisation may do this' });
          expect(await count('outbox_events')).toBe(before);
          if (target) expect(await count('users WHERE id = $1', [target])).toBe(1);
        }
      }
    });

    it('lets staff change their own password', async () => {
      const another = await addMember(seller.http, admin.accessToken);
      const response = await seller.http.post('/api/v1/me/password', { oldPassword: STAFF_PASSWORD, newPassword: NEW_PASSWORD }, another.token);
      expect(response.status).toBe(200);
    });

    it('lets staff list, import, sell, answer proposals and ship', async () => {
      const draft = await seller.http.post('/api/v1/listings', listingInput({ quantityKg: 2000, minOrderKg: 100 }), staff.token);
      expect(draft.status).toBe(201);
      expect(draft.body.organizationId).toBe(admin.organization.id);
      const published = await seller.http.post(`/api/v1/listings/${draft.body.id}/publish`, undefined, staff.token);
      expect(published.status).toBe(200);
      const edited = await seller.http.request('PATCH', `/api/v1/listings/${draft.body.id}`, { body: { unitPriceFen: 650 }, token: staff.token });
      expect(edited.status).toBe(200);
      expect((await seller.http.get('/api/v1/listings', staff.token)).body.items.map((l: { id: string }) => l.id)).toContain(draft.body.id);
      const template = await fetch(`${seller.baseUrl}/api/v1/listings/import/template`, { headers: { authorization: `Bearer ${staff.token}` } });
      expect(template.status).toBe(200);
      expect((await seller.http.get('/api/v1/proposals', staff.token)).status).toBe(200);
      expect((await buyer.http.get('/api/v1/proposals', buyerStaff.token)).status).toBe(200);

      // The buyer's staff orders; the seller's staff confirms the transfer and ships.
      const placed = await buyer.http.request('POST', '/api/v1/orders', {
        body: { lines: [{ listingId: draft.body.id, quantityKg: 300 }], paymentMethod: 'bank_transfer' },
        token: buyerStaff.token,
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(placed.status).toBe(201);
      const order = placed.body.orders[0];
      expect((await seller.http.get('/api/v1/orders', staff.token)).body.items.map((o: { id: string }) => o.id)).toContain(order.id);
      expect((await seller.http.post(`/api/v1/orders/${order.id}/confirm-payment`, undefined, staff.token)).body.status).toBe('paid');
      const shipped = await seller.http.post(`/api/v1/orders/${order.id}/ship`, { carrier: '顺丰速运', trackingNo: 'SF1402876512345' }, staff.token);
      expect(shipped.status).toBe(200);
      expect(shipped.body.status).toBe('shipped');
      expect((await buyer.http.post(`/api/v1/orders/${order.id}/confirm-delivery`, undefined, buyerStaff.token)).body.status).toBe('delivered');
    });

    it('marks exactly the admin-only routes with a 403 in the OpenAPI documents', async () => {
      const forbidden = async (http: HttpClient) => {
        const spec = (await http.get('/docs/json')).body as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
        return Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).filter(([, op]) => op.responses?.['403']).map(([method]) => `${method.toUpperCase()} ${path}`)).sort();
      };
      expect(await forbidden(seller.http)).toEqual([
        'DELETE /api/v1/organization/members/{userId}',
        'POST /api/v1/organization/members',
        'PUT /api/v1/organization/payout-account',
      ]);
      expect(await forbidden(buyer.http)).toEqual(['DELETE /api/v1/organization/members/{userId}', 'POST /api/v1/organization/members']);
    });
  });

  describe('members', () => {
    it('adds a member who can log in, lists everyone, and writes an event', async () => {
      const coop = await makeCooperative(seller.http);
      const phone = makePhone();
      const added = await seller.http.post('/api/v1/organization/members', { phone, name: ' 李秀英 ', password: STAFF_PASSWORD, role: 'staff' }, coop.accessToken);
      expect(added.status).toBe(201);
      expect(added.body).toEqual({ userId: expect.any(String), phone, name: '李秀英', role: 'staff', createdAt: expect.any(String), lastLoginAt: null });
      expect(JSON.stringify(added.body)).not.toMatch(/password|argon/i);
      expect((await seller.http.post('/api/v1/auth/login', { phone, password: STAFF_PASSWORD })).status).toBe(200);

      const list = await seller.http.get('/api/v1/organization/members', coop.accessToken);
      expect(list.status).toBe(200);
      expect(list.body.nextCursor).toBeNull();
      expect(list.body.items).toEqual([
        { userId: coop.user.id, phone: coop.input.user.phone, name: '陆光明', role: 'admin', createdAt: expect.any(String), lastLoginAt: null },
        { userId: added.body.userId, phone, name: '李秀英', role: 'staff', createdAt: added.body.createdAt, lastLoginAt: expect.any(String) },
      ]);
      expect(await events('organization.member_added', coop.organization.id)).toEqual([{ payload: { userId: added.body.userId, role: 'staff', addedBy: coop.user.id } }]);
    });

    it('lists only the caller’s own organisation', async () => {
      const a = await makeCooperative(seller.http);
      const b = await makeCooperative(seller.http);
      await addMember(seller.http, b.accessToken);
      const list = await seller.http.get('/api/v1/organization/members', a.accessToken);
      expect(list.body.items.map((m: { userId: string }) => m.userId)).toEqual([a.user.id]);
    });

    it('refuses a phone already registered, in any app, naming phone', async () => {
      const coop = await makeCooperative(seller.http);
      const other = await makeBuyer(buyer.http);
      const before = await count('users');
      for (const phone of [coop.input.user.phone, other.input.user.phone]) {
        const response = await seller.http.post('/api/v1/organization/members', { phone, name: '张三', password: STAFF_PASSWORD, role: 'staff' }, coop.accessToken);
        expect(response.status).toBe(409);
        expect(response.body).toMatchObject({ code: 'identity.already_registered', details: [{ field: 'phone', message: 'is already registered' }] });
      }
      expect(await count('users')).toBe(before);
    });

    it('lets one of two concurrent adds of the same phone through', async () => {
      const coop = await makeCooperative(seller.http);
      const phone = makePhone();
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => seller.http.post('/api/v1/organization/members', { phone, name: '张三', password: STAFF_PASSWORD, role: 'staff' }, coop.accessToken)),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(responses.filter((r) => r.status === 409).every((r) => fields(r.body)[0] === 'phone')).toBe(true);
    });

    it('removes a member: their token stops working at once, their login fails, their phone is free again', async () => {
      const coop = await makeCooperative(seller.http);
      const staff = await addMember(seller.http, coop.accessToken);
      expect((await seller.http.get('/api/v1/listings', staff.token)).status).toBe(200);

      const removed = await del(seller.http, `/api/v1/organization/members/${staff.userId}`, coop.accessToken);
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      const after = await seller.http.get('/api/v1/listings', staff.token);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('auth.user_gone');
      expect((await seller.http.post('/api/v1/auth/login', { phone: staff.phone, password: STAFF_PASSWORD })).status).toBe(401);
      expect(await events('organization.member_removed', coop.organization.id)).toEqual([{ payload: { userId: staff.userId, role: 'staff', removedBy: coop.user.id } }]);
      expect((await seller.http.get('/api/v1/organization/members', coop.accessToken)).body.items).toHaveLength(1);
      expect((await seller.http.post('/api/v1/organization/members', { phone: staff.phone, name: '李秀英', password: STAFF_PASSWORD, role: 'staff' }, coop.accessToken)).status).toBe(201);
    });

    it('refuses to remove another organisation’s user, or an unknown one, with 404', async () => {
      const coop = await makeCooperative(seller.http);
      const other = await makeCooperative(seller.http);
      const otherStaff = await addMember(seller.http, other.accessToken);
      const theirBuyer = await makeBuyer(buyer.http);
      for (const id of [otherStaff.userId, other.user.id, theirBuyer.user.id, randomUUID(), 'not-a-uuid']) {
        const response = await del(seller.http, `/api/v1/organization/members/${id}`, coop.accessToken);
        expect(response.status).toBe(404);
        expect(response.body.code).toBe('organization.member_not_found');
      }
      expect((await seller.http.get('/api/v1/me', otherStaff.token)).status).toBe(200);
    });

    it('refuses an admin removing themselves with 409 naming why', async () => {
      const coop = await makeCooperative(seller.http);
      await addMember(seller.http, coop.accessToken, 'admin');
      const response = await del(seller.http, `/api/v1/organization/members/${coop.user.id}`, coop.accessToken);
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'organization.cannot_remove_self', message: 'an admin cannot remove themselves; another admin can', details: [{ field: 'userId', message: 'is you' }] });
      expect((await seller.http.get('/api/v1/me', coop.accessToken)).status).toBe(200);
    });

    // The caller must be an admin and may not remove themselves, so the last admin can never be removed; two admins
    // removing each other at once are serialised on the organisation's row, and the second finds itself gone.
    it('lets an admin remove another admin, and never leaves an organisation without one when two remove each other at once', async () => {
      const coop = await makeCooperative(seller.http);
      const second = await addMember(seller.http, coop.accessToken, 'admin');
      const [a, b] = await Promise.all([
        del(seller.http, `/api/v1/organization/members/${second.userId}`, coop.accessToken),
        del(seller.http, `/api/v1/organization/members/${coop.user.id}`, second.token),
      ]);
      expect([a.status, b.status].sort()).toEqual([204, 401]);
      expect(await count(`users WHERE organization_id = $1 AND role = 'admin'`, [coop.organization.id])).toBe(1);
    });

    describe('bad input never answers 500 and never writes', () => {
      const valid = () => ({ phone: makePhone(), name: '张三', password: STAFF_PASSWORD, role: 'staff' });
      const cases: [string, () => unknown, string[]][] = [
        ['an empty body', () => ({}), ['phone', 'name', 'password', 'role']],
        ['a bad phone', () => ({ ...valid(), phone: '0871-6512345' }), ['phone']],
        ['a phone as a number', () => ({ ...valid(), phone: 13912345678 }), ['phone']],
        ['an empty name', () => ({ ...valid(), name: '  ' }), ['name']],
        ['a long name', () => ({ ...valid(), name: '张'.repeat(51) }), ['name']],
        ['a short password', () => ({ ...valid(), password: 'abc123' }), ['password']],
        ['a well-known password', () => ({ ...valid(), password: 'password123' }), ['password']],
        ['a password containing the phone', () => ({ ...valid(), phone: '13912345678', password: 'x13912345678y' }), ['password']],
        ['an unknown role', () => ({ ...valid(), role: 'owner' }), ['role']],
        ['agency_staff as a role', () => ({ ...valid(), role: 'agency_staff' }), ['role']],
        ['an unknown field', () => ({ ...valid(), organizationId: randomUUID() }), ['organizationId']],
      ];

      it.each(cases)('%s', async (_, body, named) => {
        const coop = await makeCooperative(seller.http);
        const before = await Promise.all([count('users'), count('outbox_events')]);
        const response = await seller.http.post('/api/v1/organization/members', body(), coop.accessToken);
        expect(response.status).toBe(400);
        expect(fields(response.body)).toEqual(expect.arrayContaining(named));
        expect(await Promise.all([count('users'), count('outbox_events')])).toEqual(before);
      });
    });
  });

  describe('changing the password', () => {
    it('answers a fresh token, revokes every older one of the user, and moves the login to the new password', async () => {
      const coop = await makeCooperative(seller.http);
      const login = async (password: string) => seller.http.post('/api/v1/auth/login', { phone: coop.input.user.phone, password });
      const otherSession = (await login(TEST_PASSWORD)).body.accessToken;
      const staff = await addMember(seller.http, coop.accessToken);

      const changed = await seller.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, coop.accessToken);
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ accessToken: expect.any(String), expiresIn: env.config.JWT_TTL_SECONDS });
      expect(claimsOf(changed.body.accessToken)).toMatchObject({ sub: coop.user.id, ver: 1 });

      for (const stale of [coop.accessToken, otherSession]) {
        const response = await seller.http.get('/api/v1/me', stale);
        expect(response.status).toBe(401);
        expect(response.body).toMatchObject({ code: 'auth.token_revoked', message: 'this access token was revoked (the password was changed); log in again' });
      }
      expect((await seller.http.get('/api/v1/me', changed.body.accessToken)).status).toBe(200);
      // Another user of the same organisation keeps their session.
      expect((await seller.http.get('/api/v1/me', staff.token)).status).toBe(200);
      expect((await login(TEST_PASSWORD)).status).toBe(401);
      const fresh = await login(NEW_PASSWORD);
      expect(fresh.status).toBe(200);
      expect((await seller.http.get('/api/v1/me', fresh.body.accessToken)).status).toBe(200);
      expect(await events('user.password_changed', coop.user.id)).toEqual([{ payload: { organizationId: coop.organization.id } }]);
      expect(JSON.stringify(await db.query(`SELECT payload FROM outbox_events WHERE aggregate_id = $1`, [coop.user.id]))).not.toContain(NEW_PASSWORD);
    });

    it('revokes the token in every other app instance at once (no cache to wait for)', async () => {
      const second = await startApp('seller', env);
      try {
        const coop = await makeCooperative(seller.http);
        expect((await second.http.get('/api/v1/me', coop.accessToken)).status).toBe(200);
        const changed = await second.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, coop.accessToken);
        expect(changed.status).toBe(200);
        expect((await seller.http.get('/api/v1/me', coop.accessToken)).body.code).toBe('auth.token_revoked');
        expect((await seller.http.get('/api/v1/me', changed.body.accessToken)).status).toBe(200);
      } finally {
        await second.close();
      }
    });

    it('accepts tokens issued before token versions existed (no ver claim) as version 0, until the password changes', async () => {
      const coop = await makeCooperative(seller.http);
      const { ver: _, iat: __, exp: ___, ...claims } = claimsOf(coop.accessToken);
      const legacy = seller.app.get(JwtService).sign({ ...claims, role: 'owner' });
      expect(claimsOf(legacy).ver).toBeUndefined();
      const me = await seller.http.get('/api/v1/me', legacy);
      expect(me.status).toBe(200);
      expect(me.body.user.role).toBe('admin');
      // The old claim says 'owner'; the database says admin, and that is what counts.
      expect((await put(seller.http, '/api/v1/organization/payout-account', ACCOUNT, legacy)).status).toBe(200);
      await seller.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, coop.accessToken);
      expect((await seller.http.get('/api/v1/me', legacy)).body.code).toBe('auth.token_revoked');
    });

    it('refuses a wrong old password with 400 naming oldPassword, and changes nothing', async () => {
      const coop = await makeCooperative(seller.http);
      const before = await db.query(`SELECT password_hash, token_version FROM users WHERE id = $1`, [coop.user.id]);
      const response = await seller.http.post('/api/v1/me/password', { oldPassword: 'Wrong2020password', newPassword: NEW_PASSWORD }, coop.accessToken);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'auth.wrong_password', details: [{ field: 'oldPassword', message: 'is not the current password' }] });
      expect(await db.query(`SELECT password_hash, token_version FROM users WHERE id = $1`, [coop.user.id])).toEqual(before);
      expect((await seller.http.get('/api/v1/me', coop.accessToken)).status).toBe(200);
    });

    it('counts wrong old passwords as failed logins: past the limit, 429', async () => {
      const app = await startApp('seller', env, env.configWith({ LOGIN_MAX_FAILURES_PER_PHONE: '2' }));
      try {
        const coop = await makeCooperative(app.http);
        for (let i = 0; i < 2; i++) {
          expect((await app.http.post('/api/v1/me/password', { oldPassword: 'Wrong2020password', newPassword: NEW_PASSWORD }, coop.accessToken)).status).toBe(400);
        }
        expect((await app.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, coop.accessToken)).status).toBe(429);
      } finally {
        await app.close();
      }
    });

    it('lets only one of two concurrent changes from the same old password win', async () => {
      const coop = await makeCooperative(seller.http);
      const responses = await Promise.all(
        ['Terraces2021harvest', 'Terraces2022harvest'].map((newPassword) => seller.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword }, coop.accessToken)),
      );
      const statuses = responses.map((r) => r.status).sort();
      // Both may pass the check before either writes; the compare-and-set on the old hash lets one through.
      expect(statuses).toEqual([200, 400]);
      expect(responses.find((r) => r.status === 400)!.body.details).toEqual([{ field: 'oldPassword', message: 'is not the current password' }]);
      const winner = responses.find((r) => r.status === 200)!;
      expect((await seller.http.get('/api/v1/me', winner.body.accessToken)).status).toBe(200);
    });

    describe('bad new passwords name newPassword and change nothing', () => {
      const cases: [string, () => Record<string, unknown>, string[]][] = [
        ['too short', () => ({ oldPassword: TEST_PASSWORD, newPassword: 'abc123' }), ['newPassword']],
        ['no digit', () => ({ oldPassword: TEST_PASSWORD, newPassword: 'onlyletterspassword' }), ['newPassword']],
        ['well known', () => ({ oldPassword: TEST_PASSWORD, newPassword: 'Password123' }), ['newPassword']],
        ['too long', () => ({ oldPassword: TEST_PASSWORD, newPassword: 'a1'.repeat(37) }), ['newPassword']],
        ['the same as the old one', () => ({ oldPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }), ['newPassword']],
        ['not a string', () => ({ oldPassword: TEST_PASSWORD, newPassword: 1234567890 }), ['newPassword']],
        ['missing fields', () => ({}), ['oldPassword', 'newPassword']],
        ['an empty old password', () => ({ oldPassword: '', newPassword: NEW_PASSWORD }), ['oldPassword']],
        ['an unknown field', () => ({ oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, userId: randomUUID() }), ['userId']],
      ];

      it.each(cases)('%s', async (_, body, named) => {
        const coop = await makeCooperative(seller.http);
        const response = await seller.http.post('/api/v1/me/password', body(), coop.accessToken);
        expect(response.status).toBe(400);
        expect([...new Set(fields(response.body))]).toEqual(named);
        expect((await seller.http.get('/api/v1/me', coop.accessToken)).status).toBe(200);
      });

      it('refuses a new password containing the phone number', async () => {
        const coop = await makeCooperative(seller.http);
        const response = await seller.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword: `cx${coop.input.user.phone}` }, coop.accessToken);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'auth.weak_password', details: [{ field: 'newPassword', message: 'must not contain the phone number' }] });
      });
    });

    it('works the same on the buyer and agency apps', async () => {
      const b = await makeBuyer(buyer.http);
      const changed = await buyer.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, b.accessToken);
      expect(changed.status).toBe(200);
      expect((await buyer.http.get('/api/v1/me', b.accessToken)).body.code).toBe('auth.token_revoked');
      expect((await buyer.http.get('/api/v1/me', changed.body.accessToken)).status).toBe(200);

      const phone = makePhone();
      await seller.app.get(IdentityService).createAgencyUser({ phone, password: TEST_PASSWORD, name: '杨晓梅', regionCode: '530000' });
      const token = (await agency.http.post('/api/v1/auth/login', { phone, password: TEST_PASSWORD })).body.accessToken;
      const agencyChanged = await agency.http.post('/api/v1/me/password', { oldPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, token);
      expect(agencyChanged.status).toBe(200);
      expect((await agency.http.get('/api/v1/me', token)).status).toBe(401);
      expect((await agency.http.get('/api/v1/me', agencyChanged.body.accessToken)).body.user.role).toBe('agency_staff');
      // The agency app has no members routes.
      expect((await agency.http.get('/api/v1/organization/members', agencyChanged.body.accessToken)).status).toBe(404);
    });
  });

  describe('the payout account', () => {
    const path = '/api/v1/organization/payout-account';

    it('answers null fields until set, then round-trips the account without the spaces', async () => {
      const coop = await makeCooperative(seller.http);
      const empty = await seller.http.get(path, coop.accessToken);
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({ accountName: null, bankName: null, accountNo: null, updatedAt: null });

      const set = await put(seller.http, path, { ...ACCOUNT, accountName: ` ${ACCOUNT.accountName} ` }, coop.accessToken);
      expect(set.status).toBe(200);
      const expected = { accountName: ACCOUNT.accountName, bankName: ACCOUNT.bankName, accountNo: '6228480123456789012', updatedAt: expect.any(String) };
      expect(set.body).toEqual(expected);
      expect((await seller.http.get(path, coop.accessToken)).body).toEqual({ ...expected, updatedAt: set.body.updatedAt });

      const changed = await put(seller.http, path, { accountName: '广南县八宝贡米农民专业合作社', bankName: '广南县农村信用合作联社', accountNo: '53010123456789012345' }, coop.accessToken);
      expect(changed.body).toMatchObject({ bankName: '广南县农村信用合作联社', accountNo: '53010123456789012345' });
      expect(await count('payout_accounts WHERE organization_id = $1', [coop.organization.id])).toBe(1);
      expect(await events('organization.payout_account_changed', coop.organization.id)).toEqual([
        { payload: { accountName: ACCOUNT.accountName, bankName: ACCOUNT.bankName, accountNoLast4: '9012', changedBy: coop.user.id } },
        { payload: { accountName: '广南县八宝贡米农民专业合作社', bankName: '广南县农村信用合作联社', accountNoLast4: '2345', changedBy: coop.user.id } },
      ]);
    });

    it('lets staff read it but not change it', async () => {
      const coop = await makeCooperative(seller.http);
      const staff = await addMember(seller.http, coop.accessToken);
      await put(seller.http, path, ACCOUNT, coop.accessToken);
      expect((await seller.http.get(path, staff.token)).body).toMatchObject({ accountNo: '6228480123456789012' });
      const refused = await put(seller.http, path, { ...ACCOUNT, accountNo: '11112222333344445555' }, staff.token);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('organization.admin_only');
      expect((await seller.http.get(path, coop.accessToken)).body.accountNo).toBe('6228480123456789012');
      expect(await events('organization.payout_account_changed', coop.organization.id)).toHaveLength(1);
    });

    it('is each organisation’s own, and other domains read it through PayoutAccountService.forSeller', async () => {
      const a = await makeCooperative(seller.http);
      const b = await makeCooperative(seller.http);
      await put(seller.http, path, ACCOUNT, a.accessToken);
      expect((await seller.http.get(path, b.accessToken)).body.accountNo).toBeNull();
      const service = seller.app.get(PayoutAccountService);
      expect(await service.forSeller(a.organization.id)).toEqual({ accountName: ACCOUNT.accountName, bankName: ACCOUNT.bankName, accountNo: '6228480123456789012' });
      expect(await service.forSeller(b.organization.id)).toBeNull();
    });

    it('is not a buyer route', async () => {
      const b = await makeBuyer(buyer.http);
      expect((await buyer.http.get(path, b.accessToken)).status).toBe(404);
      expect((await put(buyer.http, path, ACCOUNT, b.accessToken)).status).toBe(404);
    });

    describe('bad input never answers 500 and never writes', () => {
      const cases: [string, Record<string, unknown>, string[]][] = [
        ['an empty body', {}, ['accountName', 'bankName', 'accountNo']],
        ['a one-character account name', { ...ACCOUNT, accountName: '李' }, ['accountName']],
        ['a blank account name', { ...ACCOUNT, accountName: '    ' }, ['accountName']],
        ['a 101-character account name', { ...ACCOUNT, accountName: '社'.repeat(101) }, ['accountName']],
        ['an account name as a number', { ...ACCOUNT, accountName: 12345 }, ['accountName']],
        ['a one-character bank name', { ...ACCOUNT, bankName: '行' }, ['bankName']],
        ['a 101-character bank name', { ...ACCOUNT, bankName: '行'.repeat(101) }, ['bankName']],
        ['a bank name as null', { ...ACCOUNT, bankName: null }, ['bankName']],
        ['an account number with letters', { ...ACCOUNT, accountNo: '6228 4801 2345 ABCD' }, ['accountNo']],
        ['an account number with dashes', { ...ACCOUNT, accountNo: '6228-4801-2345-6789' }, ['accountNo']],
        ['an account number of 7 digits', { ...ACCOUNT, accountNo: '1234 567' }, ['accountNo']],
        ['an account number of 31 digits', { ...ACCOUNT, accountNo: '1'.repeat(31) }, ['accountNo']],
        ['an account number as a number', { ...ACCOUNT, accountNo: 6228480123456789 }, ['accountNo']],
        ['an unknown field', { ...ACCOUNT, organizationId: randomUUID() }, ['organizationId']],
        ['everything wrong', { accountName: '', bankName: 7, accountNo: 'x' }, ['accountName', 'bankName', 'accountNo']],
      ];

      it.each(cases)('%s', async (_, body, named) => {
        const coop = await makeCooperative(seller.http);
        const before = await Promise.all([count('payout_accounts'), count('outbox_events')]);
        const response = await put(seller.http, path, body, coop.accessToken);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
        expect([...new Set(fields(response.body))].sort()).toEqual([...named].sort());
        for (const d of response.body.details) expect(d.message).toEqual(expect.any(String));
        expect(await Promise.all([count('payout_accounts'), count('outbox_events')])).toEqual(before);
      });
    });
  });
});

describe('the organization-accounts migration', () => {
  let env: TestEnv;
  let dataSource: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    dataSource = await new TypeOrmDataSource(postgresOptions(env.config)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await env?.destroy();
  });

  it('turns owner into admin and member into staff, and keeps agency_staff', async () => {
    const migration = new (MIGRATIONS.find((m) => m.name === 'OrganizationAccounts1764700000000')!)();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      const [org] = await runner.query(`INSERT INTO organizations (kind, name, credit_code, region_code, contact_phone, poverty_households) VALUES ('seller', '某合作社', '93532627MA6N3XYZ1Q', '532627', '13800000000', 0) RETURNING id`);
      const [office] = await runner.query(`INSERT INTO organizations (kind, name, region_code, contact_phone) VALUES ('agency', '某工作组', '530000', '13800000009') RETURNING id`);
      for (const [phone, role, organizationId] of [['13800000001', 'owner', org.id], ['13800000002', 'member', org.id], ['13800000003', 'agency_staff', office.id]]) {
        await runner.query(`INSERT INTO users (organization_id, phone, password_hash, name, role) VALUES ($1, $2, 'x', '某人', $3)`, [organizationId, phone, role]);
      }
      await migration.up(runner);
      expect(await runner.query(`SELECT phone, role, token_version FROM users ORDER BY phone`)).toEqual([
        { phone: '13800000001', role: 'admin', token_version: 0 },
        { phone: '13800000002', role: 'staff', token_version: 0 },
        { phone: '13800000003', role: 'agency_staff', token_version: 0 },
      ]);
      await expect(runner.query(`UPDATE users SET role = 'owner' WHERE phone = '13800000001'`)).rejects.toThrow(/users_role_check/);
    } finally {
      await runner.release();
    }
  });
});
