import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Listing } from '../listing.entity';

/**
 * A photo of a lot: two encoded images in the photo storage (the full one fitted into 1280 px and a 320 px
 * thumbnail), named by keys that are never reused, so their URLs may be cached for ever. Shown in `position`
 * order; positions only grow (a deleted photo leaves a gap), so adding one never moves the others.
 */
@Entity({ name: 'listing_photos' })
@Index('listing_photos_listing_position_key', ['listingId', 'position'], { unique: true })
@Check('listing_photos_position_check', '"position" >= 0')
@Check('listing_photos_size_check', '"width" > 0 AND "height" > 0 AND "bytes" > 0 AND "thumb_bytes" > 0')
export class ListingPhoto {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @ManyToOne(() => Listing, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'listing_id', foreignKeyConstraintName: 'listing_photos_listing_id_fkey' })
  listing?: Listing;

  @Column({ type: 'integer' })
  position: number;

  /** The full image's key in the photo storage (`<id>.webp`). */
  @Column({ name: 'storage_key', type: 'text' })
  storageKey: string;

  /** The thumbnail's key (`<id>-thumb.webp`). */
  @Column({ name: 'thumb_key', type: 'text' })
  thumbKey: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  /** Of the full image as stored (after rotation and resizing). */
  @Column({ type: 'integer' })
  width: number;

  @Column({ type: 'integer' })
  height: number;

  @Column({ type: 'integer' })
  bytes: number;

  @Column({ name: 'thumb_bytes', type: 'integer' })
  thumbBytes: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
