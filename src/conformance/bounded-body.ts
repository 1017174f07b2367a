/**
 * @module conformance/bounded-body
 * A response body is read up to a cap, never whole: an endless stream, a 2 GB answer or a gzip bomb (fetch
 * decompresses as it reads, so the cap counts decompressed bytes) costs at most the cap in memory.
 */

/** 1 MiB: the page's answers are a few hundred bytes. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface BoundedBody {
  bytes: Buffer;
  /** The body was longer than the cap; `bytes` holds its first `limit` bytes and the rest was never read. */
  truncated: boolean;
}

export async function readBounded(body: ReadableStream<Uint8Array> | null, limit = MAX_RESPONSE_BYTES): Promise<BoundedBody> {
  if (!body) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { bytes: Buffer.concat(chunks), truncated: false };
      chunks.push(value);
      size += value.byteLength;
      if (size > limit) {
        // Stop the download (and the decompression) here.
        await reader.cancel().catch(() => {});
        return { bytes: Buffer.concat(chunks).subarray(0, limit), truncated: true };
      }
    }
  } finally {
    reader.releaseLock();
  }
}
