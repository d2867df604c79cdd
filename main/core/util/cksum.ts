/**
 * POSIX `cksum` (IEEE 1003.1): CRC-32 with polynomial 0x04C11DB7, MSB first,
 * over the data followed by its length (least significant byte first, only
 * as many bytes as needed), then complemented. `printf %s "$s" | cksum`
 * prints the same number for the same UTF-8 bytes.
 */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

function step(crc: number, byte: number): number {
  return ((crc << 8) ^ TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
}

export function cksum(input: string | Uint8Array): number {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  let crc = 0;
  for (const b of bytes) crc = step(crc, b);
  for (let len = bytes.length; len > 0; len = Math.floor(len / 256)) crc = step(crc, len & 0xff);
  return ~crc >>> 0;
}
