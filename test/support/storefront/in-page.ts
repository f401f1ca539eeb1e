import type { Locator, Page } from 'playwright-core';

/*
 * Small scripts run inside the shopper's page. They are strings because this project compiles
 * without the DOM library (Node code only); each is one expression Playwright evaluates.
 */

/** Waits two animation frames: whatever an IntersectionObserver would do on layout has happened. */
export async function afterLayout(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

export async function scrollToY(page: Page, y: number): Promise<void> {
  await page.evaluate(`window.scrollTo(0, ${Math.round(y)})`);
}

/** What the browser does when the shopper leaves the page; blocks flush their event batch on it. */
export async function firePagehide(page: Page): Promise<void> {
  await page.evaluate(`window.dispatchEvent(new Event('pagehide'))`);
}

/** Resolves when every image on the page has loaded or failed (a screenshot then shows them). */
export async function imagesSettled(page: Page): Promise<void> {
  await page.evaluate(
    `Promise.all([...document.images].map((img) => img.complete ? null : new Promise((resolve) => { img.addEventListener('load', resolve, { once: true }); img.addEventListener('error', resolve, { once: true }); })))`,
  );
}

/** localStorage keys the app's scripts wrote (`shelfwise:…`). */
export async function shelfwiseStorageKeys(page: Page): Promise<string[]> {
  return page.evaluate(`Object.keys(localStorage).filter((key) => key.startsWith('shelfwise'))`);
}

/**
 * Scrolls so that the element's top sits `below` px under the viewport's bottom edge: near enough
 * for a lazy block to load (its observer looks 400 px ahead), not yet seen by the shopper. Blocks
 * above it on the page come near in the same frame.
 */
export async function scrollJustAbove(page: Page, element: Locator, below = 150): Promise<void> {
  const top = await element.evaluate((el) => el.getBoundingClientRect().top);
  const scrolled = Number(await page.evaluate('window.scrollY'));
  await scrollToY(page, scrolled + top - page.viewportSize()!.height - below);
}

/**
 * From the page's next load on, IntersectionObservers that have news in the same frame are told
 * in the reverse order of their creation, all in one later task: the order in which a browser
 * calls observers is not something a block may rely on, and this makes the unfavourable one happen.
 */
export async function tellObserversInReverse(page: Page): Promise<void> {
  await page.addInitScript({
    content: `(() => {
  const Native = window.IntersectionObserver;
  let batch = null;
  window.IntersectionObserver = class extends Native {
    constructor(callback, options) {
      super((entries, observer) => {
        if (!batch) {
          batch = [];
          setTimeout(() => {
            const calls = batch.reverse();
            batch = null;
            calls.forEach((call) => call());
          });
        }
        batch.push(() => callback(entries, observer));
      }, options);
    }
  };
})();`,
  });
}
