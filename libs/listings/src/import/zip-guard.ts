import * as yauzl from 'yauzl';

/** Why a zip was refused: a decompression bomb, or a zip that cannot be read at all. */
export class ZipRefusal extends Error {
  constructor(readonly reason: 'zip_bomb' | 'unreadable', message: string) {
    super(message);
  }
}

/** The limits a zip must stay within before anything inflates it in memory. */
export interface ZipLimits {
  maxUncompressedBytes: number;
  maxEntries: number;
  /** An entry larger than `ratioFloorBytes` may not inflate more than `maxRatio` times its compressed size. */
  maxRatio: number;
  ratioFloorBytes: number;
}

const MIB = 1024 * 1024;

/** Entry count, ratio and floor for the import: workbook XML compresses about 10:1, never 200:1. */
export const ZIP_DEFAULTS: Omit<ZipLimits, 'maxUncompressedBytes'> = {
  maxEntries: 10_000,
  maxRatio: 200,
  ratioFloorBytes: MIB,
};

const unreadable = (what: string, err: Error | null) =>
  new ZipRefusal('unreadable', `${what} is damaged (${err?.message ?? 'no data'})`);

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) reject(unreadable('the zip archive', err));
      else resolve(zip);
    });
  });
}

/** What is wrong with an entry given the running total, judged on declared sizes alone; null when nothing. */
function declaredProblem(entry: yauzl.Entry, total: number, limits: ZipLimits): string | null {
  if (total > limits.maxUncompressedBytes) {
    const limit = limits.maxUncompressedBytes;
    const size = limit >= MIB ? `${Math.round(limit / MIB)} MiB` : `${limit} bytes`;
    return `it unpacks to more than ${size} (split a large workbook into smaller files)`;
  }
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (entry.uncompressedSize > limits.ratioFloorBytes && ratio > limits.maxRatio) {
    return `"${entry.fileName}" is compressed ${Math.round(ratio)}:1 (at most ${limits.maxRatio}:1)`;
  }
  return null;
}

/** The central directory's entries, refusing as soon as the declared sizes break a limit. */
function readDirectory(zip: yauzl.ZipFile, limits: ZipLimits): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    if (zip.entryCount > limits.maxEntries) {
      reject(new ZipRefusal('zip_bomb', `it has ${zip.entryCount} entries (at most ${limits.maxEntries})`));
      return;
    }
    const entries: yauzl.Entry[] = [];
    let total = 0;
    zip.on('error', (err: Error) => reject(unreadable('the zip archive', err)));
    zip.on('end', () => resolve(entries));
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize;
      const problem = declaredProblem(entry, total, limits);
      if (problem) {
        reject(new ZipRefusal('zip_bomb', problem));
        return;
      }
      entries.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/**
 * Inflates one entry into nothing. yauzl stops a stream that yields more (or fewer) bytes than the central
 * directory declares, so afterwards the declared sizes checked above are the real ones: a zip that lies about
 * its sizes cannot slip a bomb past {@link readDirectory} into the in-memory reader that comes next.
 */
function drain(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<void> {
  return new Promise((resolve, reject) => {
    if (entry.fileName.endsWith('/')) {
      resolve();
      return;
    }
    const what = `"${entry.fileName}" in the archive`;
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) {
        reject(unreadable(what, err));
        return;
      }
      stream.on('data', () => undefined);
      stream.on('end', () => resolve());
      stream.on('error', (e: Error) => {
        const lies = /too many bytes/i.test(e.message);
        const declared = `${what} unpacks to more than the ${entry.uncompressedSize} bytes it declares`;
        reject(lies ? new ZipRefusal('zip_bomb', declared) : unreadable(what, e));
      });
    });
  });
}

/**
 * Inspects a zip without inflating it into memory: refuses it when its central directory declares more than
 * the limits allow, and returns the names of its entries. When `shouldVerify(names)` is true it also inflates
 * every entry as a stream, discarding the output, to prove the declared sizes true.
 */
export async function inspectZip(
  buffer: Buffer,
  limits: ZipLimits,
  shouldVerify: (names: Set<string>) => boolean,
): Promise<Set<string>> {
  const zip = await openZip(buffer);
  try {
    const entries = await readDirectory(zip, limits);
    const names = new Set(entries.map((entry) => entry.fileName));
    if (shouldVerify(names)) {
      for (const entry of entries) await drain(zip, entry);
    }
    return names;
  } finally {
    zip.close();
  }
}
