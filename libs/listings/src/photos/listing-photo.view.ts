import { ApiProperty } from '@nestjs/swagger';

/** A lot photo as listing views carry it (SPEC §8), in the lot's photo order. */
export class ListingPhotoView {
  @ApiProperty({ format: 'uuid' }) id: string;

  @ApiProperty({
    example: '/media/photos/0b6f0a52-5a3e-4c1e-9d43-2f5b1c8e7a10.webp',
    description: 'the photo fitted into 1280 × 1280 px (WebP), served by the seller and buyer apps without login and cacheable for ever',
  })
  url: string;

  @ApiProperty({ example: '/media/photos/0b6f0a52-5a3e-4c1e-9d43-2f5b1c8e7a10-thumb.webp', description: 'the same fitted into 320 × 320 px' })
  thumbUrl: string;

  @ApiProperty({ example: 1280, description: 'of the image at `url`, in pixels' })
  width: number;

  @ApiProperty({ example: 960 })
  height: number;
}
