/** FNV-1a (32-bit) over the bytes `feed` passes to its callback, as lower-case hex. Fast, not cryptographic. */
export function fnv1a(feed: (mix: (byte: number) => void) => void): string {
  let h = 0x811c9dc5;
  feed((byte) => {
    h ^= byte & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  });
  return h.toString(16);
}
