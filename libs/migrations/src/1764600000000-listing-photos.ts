import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lot photos (issue 13): each row names two images in the photo storage, the full one and its thumbnail. At most
 * six per lot, checked under the lot's row lock (see ListingPhotosService); positions are unique per lot.
 */
export class ListingPhotos1764600000000 implements MigrationInterface {
  name = 'ListingPhotos1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "listing_photos" (
        "id" uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        "listing_id" uuid NOT NULL CONSTRAINT "listing_photos_listing_id_fkey" REFERENCES "listings" ("id") ON DELETE CASCADE,
        "position" integer NOT NULL,
        "storage_key" text NOT NULL,
        "thumb_key" text NOT NULL,
        "content_type" text NOT NULL,
        "width" integer NOT NULL,
        "height" integer NOT NULL,
        "bytes" integer NOT NULL,
        "thumb_bytes" integer NOT NULL,
        "created_at" timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT "listing_photos_position_check" CHECK ("position" >= 0),
        CONSTRAINT "listing_photos_size_check" CHECK ("width" > 0 AND "height" > 0 AND "bytes" > 0 AND "thumb_bytes" > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX "listing_photos_listing_position_key" ON "listing_photos" ("listing_id", "position")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "listing_photos"`);
  }
}
