/**
 * The document types Lindung accepts, decided from the bytes (magic numbers) and never from the declared content type
 * or file name: a PNG renamed `.pdf` is a PNG, an HTML page named `.jpg` is refused.
 */
export const DOCUMENT_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

const SIGNATURES: readonly { type: DocumentType; magic: readonly number[] }[] = [
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }, // \x89PNG\r\n\x1a\n
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff] }, // SOI marker followed by the next marker's 0xFF
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
];

/** The accepted type whose signature opens `bytes`, or undefined (anything else, including an empty file). */
export function sniffDocumentType(bytes: Uint8Array): DocumentType | undefined {
  const hit = SIGNATURES.find(({ magic }) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b));
  return hit?.type;
}
