import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, pgPool, preparedQuery } from '@chanxiao/core';
import type { DataSource, EntityManager } from 'typeorm';
import type { ListingPhotoView } from './listing-photo.view';

interface PhotoRow {
  listing_id: string;
  id: string;
  storage_key: string;
  thumb_key: string;
  width: number;
  height: number;
}

// One index range scan of listing_photos_listing_position_key per lot, already in display order.
const PHOTOS_OF_LISTINGS_SQL = `SELECT listing_id, id, storage_key, thumb_key, width, height FROM listing_photos
  WHERE listing_id = ANY($1::uuid[]) ORDER BY listing_id, position`;

/**
 * The `photos` of listing views: one query for a whole page of lots (never one per lot), so seller lists and
 * buyer search pay one short index lookup for their photos.
 */
@Injectable()
export class ListingPhotoViews {
  private readonly base: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.base = config.PHOTO_PUBLIC_URL.replace(/\/+$/, '');
  }

  /** Each lot's photos in order (a lot without photos is absent from the map). `manager`: read in its transaction. */
  async forListings(listingIds: readonly string[], manager?: EntityManager): Promise<Map<string, ListingPhotoView[]>> {
    const byListing = new Map<string, ListingPhotoView[]>();
    if (listingIds.length === 0) return byListing;
    const rows: PhotoRow[] = manager
      ? await manager.query(PHOTOS_OF_LISTINGS_SQL, [listingIds])
      : await preparedQuery<PhotoRow & Record<string, unknown>>(pgPool(this.dataSource), 'listing_photos_of_listings', PHOTOS_OF_LISTINGS_SQL, [listingIds]);
    for (const row of rows) {
      const photos = byListing.get(row.listing_id) ?? [];
      if (photos.length === 0) byListing.set(row.listing_id, photos);
      photos.push(this.view(row));
    }
    return byListing;
  }

  async forListing(listingId: string, manager?: EntityManager): Promise<ListingPhotoView[]> {
    return (await this.forListings([listingId], manager)).get(listingId) ?? [];
  }

  view(row: Omit<PhotoRow, 'listing_id'>): ListingPhotoView {
    return { id: row.id, url: this.urlOf(row.storage_key), thumbUrl: this.urlOf(row.thumb_key), width: row.width, height: row.height };
  }

  private urlOf(key: string): string {
    return `${this.base}/${key}`;
  }
}
