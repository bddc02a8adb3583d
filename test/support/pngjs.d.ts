// The part of pngjs (no types shipped) the tests use to read a PNG's pixels.
declare module 'pngjs' {
  export const PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } };
}
