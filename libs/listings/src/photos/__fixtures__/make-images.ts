import { crc32, deflateSync } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';

/** A photo-like image (a gradient with some texture), so encoders have something to work on. */
function scene(width: number, height: number): Sharp {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#c0392b"/><stop offset="1" stop-color="#27ae60"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><circle cx="${width / 3}" cy="${height / 3}" r="${Math.min(width, height) / 5}" fill="#f1c40f"/></svg>`;
  return sharp(Buffer.from(svg));
}

/**
 * A JPEG as a phone takes it: stored sideways with EXIF orientation 6 (rotate 90° clockwise to view), the
 * camera's make and model, and a GPS position (广南县).
 */
export async function phoneJpeg(width = 600, height = 400): Promise<Buffer> {
  return scene(width, height)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'ChanxiaoTestCam', Model: 'Field 1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '24/1 3/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '105/1 3/1 0/1' },
    })
    .toBuffer();
}

export async function png(width: number, height: number): Promise<Buffer> {
  return scene(width, height).png().toBuffer();
}

export async function webp(width: number, height: number): Promise<Buffer> {
  return scene(width, height).webp().toBuffer();
}

export async function gif(width = 40, height = 30): Promise<Buffer> {
  return scene(width, height).gif().toBuffer();
}

/**
 * A real, decodable PNG of `width` × `height` one-colour pixels that is only tens of kilobytes: 1-bit greyscale
 * rows of zeros deflate to almost nothing (20000 × 20000 is 400 megapixels in ~50 KB). Written by hand because
 * making it with sharp would mean decoding the very bomb it is.
 */
export function pixelBombPng(width = 20_000, height = 20_000): Buffer {
  const rowBytes = 1 + Math.ceil(width / 8); // filter byte + packed bits
  const idat = deflateSync(Buffer.alloc(rowBytes * height), { level: 9 });
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Whether an image carries EXIF, and if so whether it holds a GPS block (the IFD0 pointer tag 0x8825). */
export async function exifOf(image: Buffer): Promise<{ exif: boolean; gps: boolean; orientation?: number }> {
  const metadata = await sharp(image).metadata();
  const exif = metadata.exif;
  const gps = !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));
  return { exif: !!exif, gps, orientation: metadata.orientation };
}
