// The few functions of `qrcode` 1.5 the public pages use (the package ships no types).
declare module 'qrcode' {
  interface QRCodeToBufferOptions {
    type?: 'png';
    errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
    margin?: number;
    width?: number;
  }
  export function toBuffer(text: string, options?: QRCodeToBufferOptions): Promise<Buffer>;
}
