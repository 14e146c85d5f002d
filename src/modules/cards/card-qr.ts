import QRCode from 'qrcode';

// 'M' (~15% recoverable) survives a scuffed printed card without pushing the QR to a much larger version.
const ERROR_CORRECTION = 'M';

export interface QrMatrix {
  /** Modules per side, without quiet zone. */
  size: number;
  /** x is the column, y the row, both from the top-left; false outside the symbol. */
  isDark(x: number, y: number): boolean;
}

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ERROR_CORRECTION, margin: 4 });
}

export async function qrPng(text: string, scale = 4): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: ERROR_CORRECTION, margin: 4, scale });
}

/** The raw module grid, for drawing the code as vectors (e.g. in a PDF) instead of embedding an image. */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  const size = modules.size;
  return {
    size,
    isDark(x, y) {
      if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= size || y >= size) {
        return false;
      }
      return modules.get(y, x) !== 0;
    },
  };
}
