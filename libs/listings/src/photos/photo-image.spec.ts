import sharp from 'sharp';
import { exifOf, gif, phoneJpeg, pixelBombPng, png, webp } from './__fixtures__/make-images';
import { PhotoImageError, processPhoto } from './photo-image';

async function refusal(input: Buffer): Promise<PhotoImageError> {
  const error = await processPhoto(input).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof PhotoImageError)) throw new Error(`expected a PhotoImageError, got ${String(error)}`);
  return error;
}

describe('processPhoto', () => {
  it('turns a phone JPEG upright by its EXIF orientation and keeps none of its metadata', async () => {
    const input = await phoneJpeg(600, 400);
    expect(await exifOf(input)).toEqual({ exif: true, gps: true, orientation: 6 });
    const photo = await processPhoto(input);
    expect(photo.sourceFormat).toBe('jpeg');
    expect(photo).toMatchObject({ full: { width: 400, height: 600 }, thumb: { width: 213, height: 320 } });
    for (const image of [photo.full, photo.thumb]) {
      const metadata = await sharp(image.bytes).metadata();
      expect(metadata).toMatchObject({ format: 'webp', width: image.width, height: image.height });
      expect(metadata.exif).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect(metadata.icc).toBeUndefined();
      expect(image.bytes.includes(Buffer.from('ChanxiaoTestCam'))).toBe(false);
    }
  });

  it('fits a large PNG into 1280 px and a 320 px thumbnail, keeping its proportions', async () => {
    const photo = await processPhoto(await png(4000, 3000));
    expect(photo).toMatchObject({ sourceFormat: 'png', full: { width: 1280, height: 960 }, thumb: { width: 320, height: 240 } });
  });

  it('never enlarges a small WebP', async () => {
    const photo = await processPhoto(await webp(300, 200));
    expect(photo).toMatchObject({ sourceFormat: 'webp', full: { width: 300, height: 200 }, thumb: { width: 300, height: 200 } });
  });

  it('refuses what is not an image, whatever it is called', async () => {
    expect(await refusal(Buffer.from('秦安花牛苹果,20000,6.80\n'))).toMatchObject({ problem: 'not_an_image' });
  });

  it('refuses images of other formats by their bytes', async () => {
    expect(await refusal(await gif())).toMatchObject({ problem: 'unsupported_type', message: expect.stringContaining('GIF') });
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>');
    expect(await refusal(svg)).toMatchObject({ problem: 'unsupported_type' });
  });

  it('refuses a decompression bomb from its header, before decoding it', async () => {
    const bomb = pixelBombPng(20_000, 20_000);
    expect(bomb.length).toBeLessThan(100_000);
    const started = Date.now();
    expect(await refusal(bomb)).toMatchObject({ problem: 'too_many_pixels', message: expect.stringContaining('20000 × 20000') });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a truncated JPEG instead of storing it half grey', async () => {
    const input = await phoneJpeg();
    expect(await refusal(input.subarray(0, Math.floor(input.length / 2)))).toMatchObject({ problem: 'unreadable' });
  });
});
