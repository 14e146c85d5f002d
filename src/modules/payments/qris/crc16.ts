/**
 * CRC-16/CCITT-FALSE, the checksum of EMVCo merchant-presented QR codes (QRIS tag 63; integrations.md §1.2):
 * polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR, written as 4 uppercase hex digits.
 * Check value: "123456789" → 29B1.
 *
 * It runs over the UTF-8 bytes of the text, not its UTF-16 code units: QRIS payloads are ASCII, where the two agree,
 * but EMVCo allows UTF-8 in the language template (tag 64) and real generators checksum the bytes (the KHQR vector in
 * §1.5 only verifies that way). The reflected form (poly 0x8408) that some code in the wild uses is a different CRC.
 *
 * `TextEncoder` rather than `Buffer`, so the module also runs in the browser.
 */
const POLY = 0x1021;

const encoder = new TextEncoder();

export function crc16CcittFalse(text: string): string {
  let crc = 0xffff;
  for (const byte of encoder.encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ POLY) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
