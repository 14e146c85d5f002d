function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The QR code as inline SVG that the CSP accepts (no style attribute) and that a screen reader announces as one
 * image with a name.
 */
export function accessibleQrSvg(svg: string, label: string): string {
  const name = escapeHtml(label);
  return svg
    .replace(/<\?xml[^>]*>\s*/, '')
    .replace(/\sstyle="[^"]*"/g, '')
    .replace(/<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${name}" focusable="false"><title>${name}</title>`);
}
