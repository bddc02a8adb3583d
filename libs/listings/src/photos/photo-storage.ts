import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** A stored image and its media type. */
export interface StoredPhoto {
  bytes: Buffer;
  contentType: string;
}

/**
 * A photo's key in the storage: the photo's uuid, `-thumb` for its thumbnail, and the format's extension. Keys
 * are made by {@link photoKeys} only; anything else (a `..`, a slash, another name) is no key and matches nothing.
 */
export const PHOTO_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-thumb)?\.(webp|jpg)$/;

const CONTENT_TYPES: Record<string, string> = { webp: 'image/webp', jpg: 'image/jpeg' };

/** The keys of a new photo's two images. A photo's images never change, so its keys (and URLs) are never reused. */
export function photoKeys(photoId: string, extension: 'webp' | 'jpg'): { full: string; thumb: string } {
  return { full: `${photoId}.${extension}`, thumb: `${photoId}-thumb.${extension}` };
}

/** The media type a key's extension stands for. */
export function photoContentType(key: string): string {
  return CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/**
 * Where photo images live, by key. The apps use the local directory ({@link LocalPhotoStorage}); an object store
 * (S3, OSS, COS) fits the same three calls.
 */
export abstract class PhotoStorage {
  /** Stores `bytes` under `key`, replacing nothing a reader could see half-written. */
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The image under `key`, or undefined when there is none (or `key` is not a photo key). */
  abstract get(key: string): Promise<StoredPhoto | undefined>;
  /** Removes the image under `key`; a missing one is not an error. */
  abstract delete(key: string): Promise<void>;
}

/**
 * Photos as files under one directory (PHOTO_STORAGE_DIR), spread over 256 subdirectories by the key's first two
 * hex digits so no directory grows huge. Writes go to a temporary name first and are renamed into place.
 */
export class LocalPhotoStorage extends PhotoStorage {
  readonly root: string;

  constructor(directory: string) {
    super();
    this.root = resolve(directory);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredPhoto | undefined> {
    if (!PHOTO_KEY.test(key)) return undefined;
    try {
      return { bytes: await readFile(this.pathOf(key)), contentType: photoContentType(key) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    // The key pattern admits no separator and no dot-dot, so the path stays under the root.
    if (!PHOTO_KEY.test(key)) throw new Error(`not a photo key: ${JSON.stringify(key)}`);
    return join(this.root, key.slice(0, 2), key);
  }
}
