import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectNoAxeViolations, SCREENSHOT_DIR } from './browser.js';

/** The staff console's screens: a 1280×800 desktop and a tablet. */
export const STAFF_DESKTOP = { width: 1280, height: 800 } as const;
export const STAFF_TABLET = { width: 768, height: 1024 } as const;

/**
 * A staff console page checked: axe 0, no element wider than the screen on a tablet nor at 1280×800, then its
 * screenshot at 1280×800 into docs/screenshots/staff/`name`.png.
 */
export async function lookAtStaffPage(page: Page, name: string) {
  await expectNoAxeViolations(page);
  for (const viewport of [STAFF_TABLET, STAFF_DESKTOP]) {
    await page.setViewportSize(viewport);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`)
        .slice(0, 5),
    );
    expect(wide, `${name} at ${viewport.width}px has elements wider than the screen`).toEqual([]);
  }
  const dir = join(SCREENSHOT_DIR, 'staff');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide', type: 'png' });
}
