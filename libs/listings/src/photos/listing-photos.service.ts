import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DomainError, type Principal, uuidOrNone } from '@chanxiao/core';
import type { DataSource, EntityManager } from 'typeorm';
import type { ListingStatus } from '../listing.state-machine';
import { ListingPhotoViews } from './listing-photo-views.service';
import type { ListingPhotoView } from './listing-photo.view';
import { PhotoImageError, type PhotoImageProblem, processPhoto, type ProcessedPhoto } from './photo-image';
import { photoKeys, PhotoStorage } from './photo-storage';

/** Most photos one lot may have. */
export const MAX_PHOTOS_PER_LISTING = 6;

/** Lots whose photos may change: closed lots (sold out, withdrawn, expired) are read-only, photos included. */
const OPEN_STATUSES: readonly ListingStatus[] = ['draft', 'active'];

const IMAGE_ERRORS: Record<PhotoImageProblem, { kind: 'validation' | 'unsupported_media_type'; code: string }> = {
  not_an_image: { kind: 'unsupported_media_type', code: 'photo.not_an_image' },
  unsupported_type: { kind: 'unsupported_media_type', code: 'photo.unsupported_type' },
  too_many_pixels: { kind: 'validation', code: 'photo.too_many_pixels' },
  unreadable: { kind: 'validation', code: 'photo.unreadable' },
};

/**
 * Adds and removes a lot's photos, for any member of the organisation that owns the lot (another organisation's
 * lot is 404). An upload is checked and re-encoded ({@link processPhoto}) before anything is stored; its two
 * images are written to the {@link PhotoStorage} before the row, and deleted again if the row is refused, so a
 * failed upload leaves neither. The limit of {@link MAX_PHOTOS_PER_LISTING} is counted under the lot's row lock:
 * concurrent uploads to one lot queue there, and the one that would make a seventh is refused.
 */
@Injectable()
export class ListingPhotosService {
  private readonly logger = new Logger(ListingPhotosService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: PhotoStorage,
    private readonly views: ListingPhotoViews,
  ) {}

  async add(principal: Principal, listingId: string, upload: Buffer): Promise<ListingPhotoView> {
    // Refuse early what the locked check would refuse anyway, before spending a second of CPU on the image.
    await this.assertCanAdd(this.dataSource.manager, principal, listingId, false);
    const image = await this.process(upload);
    const id = randomUUID();
    const keys = photoKeys(id, image.extension);
    try {
      await this.storage.put(keys.full, image.full.bytes, image.contentType);
      await this.storage.put(keys.thumb, image.thumb.bytes, image.contentType);
      return await this.dataSource.transaction(async (manager) => {
        const position = await this.assertCanAdd(manager, principal, listingId, true);
        const [row] = await manager.query(
          `INSERT INTO listing_photos (id, listing_id, position, storage_key, thumb_key, content_type, width, height, bytes, thumb_bytes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id, storage_key, thumb_key, width, height`,
          [id, listingId, position, keys.full, keys.thumb, image.contentType, image.full.width, image.full.height, image.full.bytes.length, image.thumb.bytes.length],
        );
        return this.views.view(row);
      });
    } catch (error) {
      await this.deleteImages([keys.full, keys.thumb]);
      throw error;
    }
  }

  /** Deletes a photo: its row now, its images once that has committed. */
  async remove(principal: Principal, listingId: string, photoId: string): Promise<void> {
    const keys = await this.dataSource.transaction(async (manager) => {
      await this.lockOpenListing(manager, principal, listingId);
      const [rows] = await manager.query(
        `DELETE FROM listing_photos WHERE id = $1 AND listing_id = $2 RETURNING storage_key, thumb_key`,
        [uuidOrNone(photoId), listingId],
      );
      const [row] = rows as { storage_key: string; thumb_key: string }[];
      if (!row) throw DomainError.notFound('photo', photoId);
      return [row.storage_key, row.thumb_key];
    });
    await this.deleteImages(keys);
  }

  /**
   * The lot is the caller's, open, and has room for one more photo; returns the new photo's position. `lock`:
   * under the lot's row lock, the binding check (then counted by a statement of its own, whose snapshot is taken
   * after the lock is granted and so sees every photo committed before it).
   */
  private async assertCanAdd(manager: EntityManager, principal: Principal, listingId: string, lock: boolean): Promise<number> {
    await this.lockOpenListing(manager, principal, listingId, lock);
    const [{ count, next }] = await manager.query(
      `SELECT count(*)::int AS count, coalesce(max(position) + 1, 0)::int AS next FROM listing_photos WHERE listing_id = $1`,
      [listingId],
    );
    if (count >= MAX_PHOTOS_PER_LISTING) {
      throw new DomainError('conflict', 'photo.limit_reached', `a lot has at most ${MAX_PHOTOS_PER_LISTING} photos; delete one first`, [
        { field: 'file', message: `would be photo ${count + 1}; a lot has at most ${MAX_PHOTOS_PER_LISTING} photos` },
      ]);
    }
    return next;
  }

  // FOR NO KEY UPDATE: excludes another upload or deletion on the lot, but not an order line or proposal that
  // merely references it (those take KEY SHARE).
  private async lockOpenListing(manager: EntityManager, principal: Principal, listingId: string, lock = true): Promise<void> {
    const [lot] = await manager.query(
      `SELECT status FROM listings WHERE id = $1 AND organization_id = $2${lock ? ' FOR NO KEY UPDATE' : ''}`,
      [uuidOrNone(listingId), principal.organizationId],
    );
    if (!lot) throw DomainError.notFound('listing', listingId);
    if (!OPEN_STATUSES.includes(lot.status)) {
      throw new DomainError('conflict', 'photo.listing_closed', `the photos of a ${lot.status} lot cannot change`);
    }
  }

  private async process(upload: Buffer): Promise<ProcessedPhoto> {
    try {
      return await processPhoto(upload);
    } catch (error) {
      if (!(error instanceof PhotoImageError)) throw error;
      const { kind, code } = IMAGE_ERRORS[error.problem];
      throw new DomainError(kind, code, `file ${error.message}`, [{ field: 'file', message: error.message }]);
    }
  }

  private async deleteImages(keys: string[]): Promise<void> {
    // An image left behind is only disk space (nothing points at it), so a failure here does not fail the request.
    await Promise.all(keys.map((key) => this.storage.delete(key).catch((error: unknown) => this.logger.warn({ err: error, key }, 'could not delete a photo image'))));
  }
}
