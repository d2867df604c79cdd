import type { Page } from 'playwright-core';

// Evaluated in the page, not in Node: the test project compiles without DOM types.
declare const document: any;
declare const window: any;
declare const getComputedStyle: any;

/**
 * What a user would see wrong in the window as laid out now, measured rather than looked at:
 * - the page scrolling sideways;
 * - in the header, each card and each table row: a button, link, field, badge, state or port whose
 *   text reaches outside its card or cell (clipped or spilled), or that overlaps another one;
 * - a badge, port or state broken across lines, a branch name broken inside a word; the header's contents
 *   below the header (over the add row);
 * - a button that a click at its centre would not reach (covered by something else).
 * Returns one line per finding; empty when the layout holds.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const W = window.innerWidth;
    const H = window.innerHeight;
    const name = (e: any) => {
      const label = (e.getAttribute('aria-label') || e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''} "${label}"`;
    };
    const shown = (e: any) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    /** The element's box, grown by the extent of its text (text that spills is drawn outside the box). */
    const extent = (e: any) => {
      const r = e.getBoundingClientRect();
      const range = document.createRange();
      range.selectNodeContents(e);
      const t = range.getBoundingClientRect();
      if (!t.width) return r;
      return {
        left: Math.min(r.left, t.left),
        right: Math.max(r.right, t.right),
        top: Math.min(r.top, t.top),
        bottom: Math.max(r.bottom, t.bottom),
      };
    };
    if (document.documentElement.scrollWidth > W + 1)
      out.push(`the page scrolls sideways by ${document.documentElement.scrollWidth - W}px`);
    const parts = 'button, a[href], input, select, .badge, [data-testid=status], [data-port], h1, h2';
    const boxes = [...document.querySelectorAll('header.top, article[data-instance], table.compact tbody tr')];
    for (const box of boxes) {
      const items = [...box.querySelectorAll(parts)].filter(shown);
      const ext = items.map(extent);
      items.forEach((e: any, i: number) => {
        // A table cell that clips its contents hides what is outside it; a card or header shows it spilled.
        const within = (e.closest('td, th') ?? box).getBoundingClientRect();
        const x = ext[i];
        if (x.left < within.left - 1 || x.right > within.right + 1)
          out.push(
            `${name(e)} reaches outside its ${e.closest('td, th') ? 'cell' : 'box'} (${Math.round(x.left)}..${Math.round(x.right)} in ${Math.round(within.left)}..${Math.round(within.right)})`,
          );
        if (x.right > W + 1) out.push(`${name(e)} ends at ${Math.round(x.right)}px, past the window's ${W}px`);
        for (let j = i + 1; j < items.length; j++) {
          const f = items[j];
          if (e.contains(f) || f.contains(e)) continue;
          const y = ext[j];
          const w = Math.min(x.right, y.right) - Math.max(x.left, y.left);
          const h = Math.min(x.bottom, y.bottom) - Math.max(x.top, y.top);
          if (w > 1 && h > 1) out.push(`${name(e)} overlaps ${name(f)} (${Math.round(w)}×${Math.round(h)}px)`);
        }
      });
    }
    // A table's cells: their contents fit (nothing cut off), and a port is never broken inside its number.
    for (const cell of document.querySelectorAll('table.compact th, table.compact td')) {
      if (!shown(cell)) continue;
      if (cell.scrollWidth > cell.clientWidth + 1)
        out.push(`${name(cell)} is cut off (${cell.scrollWidth}px of content in ${cell.clientWidth}px)`);
    }
    for (const cell of document.querySelectorAll('table.compact .ports-cell')) {
      const digits = (cell.textContent.match(/\d+/g) ?? []).map((n: string) => n.length);
      const perChar = parseFloat(getComputedStyle(cell).fontSize) * 0.5;
      if (digits.length && cell.clientWidth < Math.max(...digits) * perChar + 16)
        out.push(`the ports column is ${cell.clientWidth}px wide`);
    }
    // A branch name breaks only after a "/" ("feature/" then "login"), never inside a word.
    for (const e of document.querySelectorAll('table.compact .branch-cell, .branch')) {
      if (!shown(e)) continue;
      const text = e.textContent;
      const walker = document.createTreeWalker(e, 4);
      let prev: { top: number; ch: string } | undefined;
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        for (let k = 0; k < t.data.length; k++) {
          const range = document.createRange();
          range.setStart(t, k);
          range.setEnd(t, k + 1);
          const r = range.getBoundingClientRect();
          if (!r.height) continue;
          if (prev && r.top > prev.top + 2 && prev.ch !== '/')
            out.push(`branch "${text}" breaks after "${prev.ch}", inside a word`);
          prev = { top: r.top, ch: t.data[k] };
        }
      }
    }
    // One line each: a badge, a port chip, a state (its pill), a state's word.
    for (const e of document.querySelectorAll('.badge, [data-port], [data-testid=status], .state-word')) {
      if (!shown(e)) continue;
      const lh = parseFloat(getComputedStyle(e).fontSize) * 1.9;
      const r = e.getBoundingClientRect();
      if (r.height > lh + 12) out.push(`${name(e)} breaks across lines (${Math.round(r.height)}px high)`);
    }
    const header = document.querySelector('header.top');
    if (header) {
      const hb = header.getBoundingClientRect().bottom;
      for (const k of header.querySelectorAll('*'))
        if (shown(k) && k.getBoundingClientRect().bottom > hb + 1)
          out.push(
            `${name(k)} hangs below the header (${Math.round(k.getBoundingClientRect().bottom)} > ${Math.round(hb)})`,
          );
    }
    // Reachable: a click at a button's centre lands on it (or inside it), when it is on screen.
    for (const b of document.querySelectorAll(
      'header.top button, article[data-instance] button, table.compact button',
    )) {
      if (!shown(b) || b.closest('[inert]')) continue;
      const r = b.getBoundingClientRect();
      const cx = r.left + r.width / 2;
      const cy = r.top + r.height / 2;
      if (cy < 0 || cy > H) continue; // scrolled out of view: reached by scrolling
      if (cx < 0 || cx > W) {
        out.push(`${name(b)} is off screen at x=${Math.round(cx)}`);
        continue;
      }
      const hit = document.elementFromPoint(cx, cy);
      // The list scrolls under the header: a button behind it is reached by scrolling, not hidden by a layer.
      if (hit && !b.contains(hit) && !hit.closest('header.top')) out.push(`${name(b)} is covered by ${name(hit)}`);
    }
    return [...new Set(out)];
  });
}
