/**
 * Lindung's logo mark: a white shield with a tick on the brand green — the same drawing as assets/icon.svg (the
 * favicon) and the PNG app icons. Inline in the header (no extra request), decorative: the link around it is named.
 */
export function LogoMark({ size = 32 }: { size?: number }) {
  return (
    <svg class="logo-mark" width={size} height={size} viewBox="0 0 64 64" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">
      <rect width="64" height="64" rx="12" fill="#00693e" />
      <path d="M32 10 14 17v13c0 12 8 20 18 24 10-4 18-12 18-24V17z" fill="#fff" />
      <path d="m24 32 6 6 11-12" fill="none" stroke="#00693e" stroke-width="5" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
