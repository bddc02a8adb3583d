import sharp, { type Metadata, type Sharp } from 'sharp';

/** How uploads are checked and what is made of them. */
export interface PhotoImageLimits {
  /** Most pixels a decoded upload may have: a small file can declare a huge image (a decompression bomb). */
  maxInputPixels: number;
  /** The full image is fitted into a square of this many pixels (never enlarged). */
  fullSize: number;
  thumbSize: number;
}

export const PHOTO_IMAGE_LIMITS: PhotoImageLimits = { maxInputPixels: 40_000_000, fullSize: 1280, thumbSize: 320 };

/** The formats a cooperative may upload, as sharp names them, and how a person calls them. */
const ACCEPTED_FORMATS: Record<string, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP' };

export type PhotoImageProblem = 'not_an_image' | 'unsupported_type' | 'too_many_pixels' | 'unreadable';

/** Why an upload cannot be a photo; the message is for the person who sent it. */
export class PhotoImageError extends Error {
  constructor(
    readonly problem: PhotoImageProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PhotoImageError';
  }
}

export interface EncodedImage {
  bytes: Buffer;
  width: number;
  height: number;
}

export interface ProcessedPhoto {
  /** What the upload was, from its bytes (never from the client's file name or media type). */
  sourceFormat: 'jpeg' | 'png' | 'webp';
  extension: 'webp';
  contentType: 'image/webp';
  full: EncodedImage;
  thumb: EncodedImage;
}

/**
 * Turns an upload into the two images a lot photo is stored as: the format is read from the bytes (JPEG, PNG or
 * WebP only), the pixel count from the header before anything is decoded, then the image is turned upright by
 * its EXIF orientation, fitted into `fullSize` and `thumbSize` pixels and encoded as WebP. Nothing of the
 * upload's metadata is kept (EXIF with its GPS position and camera serial, XMP, ICC: colours are converted to sRGB).
 * Throws {@link PhotoImageError}.
 */
export async function processPhoto(input: Buffer, limits: PhotoImageLimits = PHOTO_IMAGE_LIMITS): Promise<ProcessedPhoto> {
  let metadata: Metadata;
  try {
    // Reads the header only: safe on a bomb, which the pixel check below then refuses.
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new PhotoImageError('not_an_image', 'is not an image; send a JPEG, PNG or WebP photo');
  }
  const sourceFormat = metadata.format as string;
  if (!ACCEPTED_FORMATS[sourceFormat]) {
    throw new PhotoImageError('unsupported_type', `is a ${sourceFormat.toUpperCase()} image; send a JPEG, PNG or WebP photo`);
  }
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
  if (pixels > limits.maxInputPixels) {
    throw new PhotoImageError('too_many_pixels',
      `is ${metadata.width} × ${metadata.height} pixels; a photo may have at most ${limits.maxInputPixels / 1e6} megapixels`);
  }
  try {
    // failOn 'error': a truncated or corrupt file fails here instead of being stored half grey.
    const upright = sharp(input, { limitInputPixels: limits.maxInputPixels, failOn: 'error' }).autoOrient();
    const [full, thumb] = await Promise.all([encode(upright.clone(), limits.fullSize, 82), encode(upright.clone(), limits.thumbSize, 75)]);
    return { sourceFormat: sourceFormat as ProcessedPhoto['sourceFormat'], extension: 'webp', contentType: 'image/webp', full, thumb };
  } catch (error) {
    if (/pixel limit/i.test((error as Error).message)) {
      throw new PhotoImageError('too_many_pixels', `has more than ${limits.maxInputPixels / 1e6} megapixels`);
    }
    throw new PhotoImageError('unreadable', `is a damaged or incomplete ${ACCEPTED_FORMATS[sourceFormat]} file`);
  }
}

async function encode(image: Sharp, size: number, quality: number): Promise<EncodedImage> {
  const { data, info } = await image
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}
