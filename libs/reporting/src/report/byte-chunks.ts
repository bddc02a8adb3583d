/** Size of the buffers text is encoded into: a few hundred rows of a report each. */
const CHUNK = 64 * 1024;

/**
 * Encodes strings (whole rows) straight into fixed-size buffers as UTF-8, so a million rows become a few
 * thousand buffers handed to the output stream as they are, without one large string per batch or a copy per
 * stage. `take()` returns the buffers filled so far; each is new, so the stream may keep it.
 */
export class ByteChunks {
  private buffer = Buffer.allocUnsafe(CHUNK);
  private position = 0;
  private full: Buffer[] = [];

  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (this.position + text.length * 3 > CHUNK) {
      this.spill();
      if (text.length * 3 > CHUNK) {
        this.full.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.position += this.buffer.write(text, this.position, 'utf8');
  }

  /** `write` for text known to be ASCII only: one byte per character, encoded without UTF-8's checks. */
  writeAscii(text: string): void {
    if (this.position + text.length > CHUNK) {
      this.spill();
      if (text.length > CHUNK) {
        this.full.push(Buffer.from(text, 'latin1'));
        return;
      }
    }
    this.position += this.buffer.write(text, this.position, 'latin1');
  }

  /** The filled buffers (the current one included), leaving this empty. */
  take(): Buffer[] {
    this.spill();
    const out = this.full;
    this.full = [];
    return out;
  }

  private spill(): void {
    if (!this.position) return;
    this.full.push(this.buffer.subarray(0, this.position));
    this.buffer = Buffer.allocUnsafe(CHUNK);
    this.position = 0;
  }
}
