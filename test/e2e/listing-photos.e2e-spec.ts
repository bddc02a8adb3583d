import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { hashPassword } from '@chanxiao/core';
import { exifOf, gif, phoneJpeg, pixelBombPng, png, webp } from '@chanxiao/listings/photos/__fixtures__/make-images';
import { type RunningApp, startApp } from '../support/apps';
import { makeBuyer, makeCooperative, makeListing, makePhone, TEST_PASSWORD } from '../support/factories';
import { createTestEnv, type TestEnv } from '../support/test-env';
import { waitFor } from '../support/wait';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface Photo {
  id: string;
  url: string;
  thumbUrl: string;
  width: number;
  height: number;
}

describe('listing photos', () => {
  let env: TestEnv;
  let dir: string;
  let seller: RunningApp;
  let buyer: RunningApp;
  let db: DataSource;
  let token: string;
  let otherToken: string;
  let buyerToken: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chanxiao-photos-'));
    env = await createTestEnv();
    const config = env.configWith({ PHOTO_STORAGE_DIR: dir });
    [seller, buyer] = await Promise.all([startApp('seller', env, config), startApp('buyer', env, config)]);
    db = seller.app.get(DataSource);
    [token, otherToken, buyerToken] = await Promise.all([
      makeCooperative(seller.http).then((c) => c.accessToken),
      makeCooperative(seller.http).then((c) => c.accessToken),
      makeBuyer(buyer.http).then((b) => b.accessToken),
    ]);
  });

  afterAll(async () => {
    await Promise.all([seller?.close(), buyer?.close()]);
    await env?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function upload(listingId: string, bytes: Buffer, options: { as?: string; type?: string; field?: string; token?: string } = {}) {
    const form = new FormData();
    form.append(options.field ?? 'file', new Blob([new Uint8Array(bytes)], { type: options.type ?? 'image/jpeg' }), options.as ?? 'photo.jpg');
    const response = await fetch(`${seller.baseUrl}/api/v1/listings/${listingId}/photos`, {
      method: 'POST',
      body: form,
      // English messages (SPEC §8: zh-CN unless asked); codes and fields never change with the language.
      headers: { authorization: `Bearer ${options.token ?? token}`, 'accept-language': 'en' },
    });
    return { status: response.status, body: await response.json() };
  }

  const remove = (listingId: string, photoId: string, as = token) => seller.http.request('DELETE', `/api/v1/listings/${listingId}/photos/${photoId}`, { token: as });

  async function media(app: RunningApp, url: string) {
    const response = await fetch(new URL(url, app.baseUrl));
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  async function storedFiles(): Promise<string[]> {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
  }

  const photoRows = async (listingId: string): Promise<{ id: string; position: number; storage_key: string; thumb_key: string }[]> =>
    db.query(`SELECT id, position, storage_key, thumb_key FROM listing_photos WHERE listing_id = $1 ORDER BY position`, [listingId]);

  /** Uploads `n` small photos to a lot. */
  async function addPhotos(listingId: string, n: number): Promise<Photo[]> {
    const photos: Photo[] = [];
    for (let i = 0; i < n; i++) {
      const response = await upload(listingId, await webp(64 + i, 48), { as: `p${i}.webp`, type: 'image/webp' });
      expect(response.status).toBe(201);
      photos.push(response.body);
    }
    return photos;
  }

  describe('uploading', () => {
    let lot: { id: string };
    const uploaded: Photo[] = [];

    beforeAll(async () => {
      lot = await makeListing(seller.http, token);
    });

    it('stores a phone JPEG upright, without its EXIF (GPS, camera), and serves it on the seller and buyer apps', async () => {
      const original = await phoneJpeg(600, 400);
      expect(await exifOf(original)).toEqual({ exif: true, gps: true, orientation: 6 });

      const response = await upload(lot.id, original);
      expect(response.status).toBe(201);
      const photo: Photo = response.body;
      expect(photo).toEqual({
        id: expect.stringMatching(new RegExp(`^${UUID}$`)),
        url: `/media/photos/${photo.id}.webp`,
        thumbUrl: `/media/photos/${photo.id}-thumb.webp`,
        width: 400,
        height: 600,
      });
      uploaded.push(photo);

      for (const app of [seller, buyer]) {
        const full = await media(app, photo.url);
        expect(full.status).toBe(200);
        expect(full.headers.get('content-type')).toBe('image/webp');
        expect(full.headers.get('cache-control')).toBe(IMMUTABLE);
        expect(await exifOf(full.bytes)).toEqual({ exif: false, gps: false, orientation: undefined });
        expect(full.bytes.includes(Buffer.from('ChanxiaoTestCam'))).toBe(false);
        expect(await sharp(full.bytes).metadata()).toMatchObject({ format: 'webp', width: 400, height: 600 });
        const thumb = await media(app, photo.thumbUrl);
        expect(thumb.status).toBe(200);
        expect(thumb.headers.get('cache-control')).toBe(IMMUTABLE);
        expect(await sharp(thumb.bytes).metadata()).toMatchObject({ format: 'webp', width: 213, height: 320 });
      }
      expect(await photoRows(lot.id)).toEqual([{ id: photo.id, position: 0, storage_key: `${photo.id}.webp`, thumb_key: `${photo.id}-thumb.webp` }]);
      expect(await storedFiles()).toEqual([`${photo.id}-thumb.webp`, `${photo.id}.webp`].sort());
    });

    it('fits a 4000 × 3000 PNG into 1280 px with a 320 px thumbnail', async () => {
      const response = await upload(lot.id, await png(4000, 3000), { as: 'field.png', type: 'image/png' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ width: 1280, height: 960 });
      uploaded.push(response.body);
      const thumb = await media(seller, response.body.thumbUrl);
      expect(await sharp(thumb.bytes).metadata()).toMatchObject({ width: 320, height: 240 });
    });

    it('takes a WebP, and judges the type by the bytes, not the name or media type the client gives', async () => {
      const response = await upload(lot.id, await webp(800, 600), { as: 'IMG_0001.jpg', type: 'image/jpeg' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ width: 800, height: 600 });
      uploaded.push(response.body);
    });

    it('lets any member of the organisation upload, staff too', async () => {
      const [owner] = await db.query(`SELECT u.organization_id FROM users u JOIN listings l ON l.organization_id = u.organization_id WHERE l.id = $1`, [lot.id]);
      const [{ def }] = await db.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'users_role_check'`);
      const role = def.includes("'staff'") ? 'staff' : 'member';
      const phone = makePhone();
      await db.query(`INSERT INTO users (organization_id, phone, password_hash, name, role) VALUES ($1, $2, $3, '王小梅', $4)`,
        [owner.organization_id, phone, await hashPassword(TEST_PASSWORD), role]);
      const login = await seller.http.post('/api/v1/auth/login', { phone, password: TEST_PASSWORD });
      expect(login.status).toBe(200);
      const response = await upload(lot.id, await webp(120, 90), { token: login.body.accessToken, type: 'image/webp' });
      expect(response.status).toBe(201);
      uploaded.push(response.body);
    });

    it('shows the photos in upload order on the seller’s lot, in its list, and to buyers in search and on the lot', async () => {
      const ids = uploaded.map((p) => p.id);
      const own = await seller.http.get(`/api/v1/listings/${lot.id}`, token);
      expect(own.body.photos).toEqual(uploaded);
      const list = await seller.http.get('/api/v1/listings', token);
      expect(list.body.items.find((l: { id: string }) => l.id === lot.id).photos.map((p: Photo) => p.id)).toEqual(ids);

      const seen = await buyer.http.get(`/api/v1/listings/${lot.id}`, buyerToken);
      expect(seen.status).toBe(200);
      expect(seen.body.photos).toEqual(uploaded);
      const search = await buyer.http.get('/api/v1/listings?limit=100', buyerToken);
      expect(search.body.items.find((l: { id: string }) => l.id === lot.id).photos).toEqual(uploaded);
      const near = await buyer.http.get('/api/v1/listings?sort=distance&limit=100', buyerToken);
      expect(near.body.items.find((l: { id: string }) => l.id === lot.id).photos).toEqual(uploaded);

      const served = await media(buyer, seen.body.photos[1].url);
      expect(served.status).toBe(200);
      expect(served.headers.get('cache-control')).toBe(IMMUTABLE);
      expect(await sharp(served.bytes).metadata()).toMatchObject({ width: 1280, height: 960 });
    });

    it('gives a lot without photos an empty list', async () => {
      const bare = await makeListing(seller.http, token);
      expect(bare.photos).toEqual([]);
      expect((await seller.http.get(`/api/v1/listings/${bare.id}`, token)).body.photos).toEqual([]);
      expect((await buyer.http.get(`/api/v1/listings/${bare.id}`, buyerToken)).body.photos).toEqual([]);
    });
  });

  describe('refusing', () => {
    let lot: { id: string };

    beforeAll(async () => {
      lot = await makeListing(seller.http, token, {}, false);
    });

    const cases: [string, () => Promise<Buffer> | Buffer, Record<string, string>, number, string][] = [
      ['a text file renamed .jpg', () => Buffer.from('品类代码,标题\nfruit.apple,秦安花牛苹果\n'), { as: 'apples.jpg', type: 'image/jpeg' }, 415, 'photo.not_an_image'],
      ['an 11 MB file (a JPEG with 11 MB behind it)', async () => {
        const head = await phoneJpeg();
        return Buffer.concat([head, Buffer.alloc(11 * 1024 * 1024 - head.length)]);
      }, {}, 413, 'photo.too_large'],
      ['a pixel bomb: a 50 KB PNG of 20000 × 20000 pixels', () => pixelBombPng(20_000, 20_000), { as: 'bomb.png', type: 'image/png' }, 400, 'photo.too_many_pixels'],
      ['a GIF', () => gif(), { as: 'anim.gif', type: 'image/gif' }, 415, 'photo.unsupported_type'],
      ['a truncated JPEG', async () => (await phoneJpeg()).subarray(0, 2000), {}, 400, 'photo.unreadable'],
      ['a file in another field than "file"', () => phoneJpeg(), { field: 'photo' }, 400, 'photo.no_file'],
    ];

    it.each(cases)('refuses %s, naming file, and stores nothing', async (_, make, options, status, code) => {
      const filesBefore = await storedFiles();
      const response = await upload(lot.id, await make(), options);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ statusCode: status, code, details: [{ field: 'file', message: expect.any(String) }] });
      expect(await photoRows(lot.id)).toEqual([]);
      expect(await storedFiles()).toEqual(filesBefore);
    });

    it('refuses a request that is not multipart', async () => {
      const response = await seller.http.post(`/api/v1/listings/${lot.id}/photos`, { file: 'x' }, token);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'photo.no_file', details: [{ field: 'file' }] });
    });

    it('refuses a seventh photo with 409 naming the limit, and stores nothing', async () => {
      await addPhotos(lot.id, 6);
      const filesBefore = await storedFiles();
      const response = await upload(lot.id, await phoneJpeg());
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ code: 'photo.limit_reached', message: expect.stringContaining('6 photos'), details: [{ field: 'file' }] });
      expect(await photoRows(lot.id)).toHaveLength(6);
      expect(await storedFiles()).toEqual(filesBefore);
    });

    it('lets only one of two concurrent uploads to a lot with five photos through', async () => {
      const five = await makeListing(seller.http, token);
      await addPhotos(five.id, 5);
      const filesBefore = (await storedFiles()).length;
      // Line both uploads up at the INSERT: hold back writes to listing_photos (reads still pass) until both wait on
      // a lock. Counted without the lot's row lock, both would then see five photos and the second would meet the
      // unique position instead of the limit.
      const blocker = db.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      let results: { status: number; body: any }[];
      try {
        await blocker.query('LOCK TABLE listing_photos IN SHARE MODE');
        const uploads = Promise.all([upload(five.id, await png(1600, 1200), { type: 'image/png' }), upload(five.id, await png(1600, 1200), { type: 'image/png' })]);
        await waitFor('both uploads to wait on a lock', async () => {
          const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
          return n >= 2;
        });
        await blocker.rollbackTransaction();
        results = await uploads;
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
      }
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(results.find((r) => r.status === 409)!.body).toMatchObject({ code: 'photo.limit_reached', details: [{ field: 'file' }] });
      const rows = await photoRows(five.id);
      expect(rows).toHaveLength(6);
      expect(rows.map((r) => r.position)).toEqual([0, 1, 2, 3, 4, 5]);
      expect((await storedFiles()).length).toBe(filesBefore + 2);
    });

    it('answers 404 for another organisation’s lot, to upload and to delete, and changes nothing', async () => {
      const theirs = await makeListing(seller.http, otherToken);
      const [photo] = await addPhotosAs(theirs.id, otherToken);
      const filesBefore = await storedFiles();
      const response = await upload(theirs.id, await phoneJpeg());
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('listing.not_found');
      expect((await remove(theirs.id, photo.id)).status).toBe(404);
      expect(await photoRows(theirs.id)).toHaveLength(1);
      expect(await storedFiles()).toEqual(filesBefore);
      expect((await upload('not-a-uuid', await phoneJpeg())).status).toBe(404);
    });

    it('keeps the photos of a closed (withdrawn) lot as they are', async () => {
      const closing = await makeListing(seller.http, token);
      const [photo] = await addPhotos(closing.id, 1);
      await seller.http.post(`/api/v1/listings/${closing.id}/withdraw`, undefined, token);
      const added = await upload(closing.id, await phoneJpeg());
      expect(added.status).toBe(409);
      expect(added.body.code).toBe('photo.listing_closed');
      expect((await remove(closing.id, photo.id)).status).toBe(409);
      expect(await photoRows(closing.id)).toHaveLength(1);
    });

    async function addPhotosAs(listingId: string, as: string): Promise<Photo[]> {
      const response = await upload(listingId, await webp(50, 50), { token: as, type: 'image/webp' });
      expect(response.status).toBe(201);
      return [response.body];
    }
  });

  describe('deleting', () => {
    it('removes the row and both images; the other photos keep their order', async () => {
      const lot = await makeListing(seller.http, token);
      const [first, second, third] = await addPhotos(lot.id, 3);
      const response = await remove(lot.id, second.id);
      expect(response.status).toBe(204);
      expect((await photoRows(lot.id)).map((r) => r.id)).toEqual([first.id, third.id]);
      const files = await storedFiles();
      expect(files).not.toContain(`${second.id}.webp`);
      expect(files).not.toContain(`${second.id}-thumb.webp`);
      expect(files).toContain(`${third.id}.webp`);
      expect((await media(buyer, second.url)).status).toBe(404);
      expect((await seller.http.get(`/api/v1/listings/${lot.id}`, token)).body.photos.map((p: Photo) => p.id)).toEqual([first.id, third.id]);
      const again = await remove(lot.id, second.id);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('photo.not_found');

      // A new photo goes after the others, never into the gap.
      const [fourth] = await addPhotos(lot.id, 1);
      expect((await seller.http.get(`/api/v1/listings/${lot.id}`, token)).body.photos.map((p: Photo) => p.id)).toEqual([first.id, third.id, fourth.id]);
    });
  });

  describe('serving', () => {
    it('answers 404 for unknown keys and anything that is not a key, without leaving the storage directory', async () => {
      expect((await media(seller, '/media/photos/00000000-0000-4000-8000-000000000000.webp')).status).toBe(404);
      const unknown = await media(buyer, '/media/photos/package.json');
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.bytes.toString())).toMatchObject({ code: 'photo.not_found', message: '照片 package.json 不存在' });
      expect((await media(buyer, '/media/photos/..%2F..%2F..%2Fpackage.json')).status).toBe(404);
      // A raw request line, as curl --path-as-is sends it (fetch would normalise the dots away).
      for (const path of ['/media/photos/../../package.json', '/media/photos/%2e%2e%2f%2e%2e%2fpackage.json', '/media/photos/x%00.webp']) {
        expect(await rawStatus(buyer.baseUrl, path)).toBe(404);
      }
      const notFound = await fetch(`${buyer.baseUrl}/media/photos/nope.webp`);
      expect(await notFound.json()).toMatchObject({ statusCode: 404, code: 'photo.not_found' });
      expect(notFound.headers.get('cache-control')).toBeNull();
    });

    it('needs no login (an <img> sends no token)', async () => {
      const lot = await makeListing(seller.http, token);
      const [photo] = await addPhotos(lot.id, 1);
      const response = await fetch(new URL(photo.thumbUrl, buyer.baseUrl));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/webp');
    });

    it('reads a page’s photos with one index lookup', async () => {
      const plan = await db.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        const rows: { 'QUERY PLAN': string }[] = await manager.query(
          `EXPLAIN SELECT listing_id, id FROM listing_photos WHERE listing_id = ANY($1::uuid[]) ORDER BY listing_id, position`,
          [['00000000-0000-4000-8000-000000000000']],
        );
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('listing_photos_listing_position_key');
    });
  });

  describe('the OpenAPI documents', () => {
    it('describe the photo routes and the photos of every listing view', async () => {
      const sellerDoc = (await seller.http.get('/docs/json')).body;
      const post = sellerDoc.paths['/api/v1/listings/{id}/photos'].post;
      expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
      expect(post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ListingPhotoView' });
      expect(sellerDoc.paths['/api/v1/listings/{id}/photos/{photoId}'].delete.responses).toHaveProperty('204');
      expect(sellerDoc.components.schemas.ListingPhotoView.required).toEqual(expect.arrayContaining(['id', 'url', 'thumbUrl', 'width', 'height']));
      expect(sellerDoc.components.schemas.ListingView.properties.photos).toEqual(expect.objectContaining({
        type: 'array', items: { $ref: '#/components/schemas/ListingPhotoView' },
      }));
      const buyerDoc = (await buyer.http.get('/docs/json')).body;
      expect(buyerDoc.components.schemas.ListingSearchView.properties.photos).toEqual(expect.objectContaining({
        type: 'array', items: { $ref: '#/components/schemas/ListingPhotoView' },
      }));
    });
  });
});

/** The status of a GET sent with exactly this request target (no client-side normalisation). */
function rawStatus(baseUrl: string, path: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
