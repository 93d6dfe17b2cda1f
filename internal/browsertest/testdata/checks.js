// checks.js is injected into every page the browser tests open (before the
// page's own content runs). Each function returns plain data; the Go tests
// decide what is a failure. Nothing here changes the page, except tabStep
// (remembers the focused element) and textZoom (sets the root font size).
window.kbCheck = (() => {
  const describe = (e) => {
    if (!e || e === document) return 'document';
    if (e === document.body) return 'body';
    let s = e.tagName.toLowerCase();
    if (e.id) s += '#' + e.id;
    if (e.classList.length) s += '.' + [...e.classList].join('.');
    const p = e.parentElement && e.parentElement.closest('[id],[class],header,main,footer,nav');
    const text = (e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return (p && p !== e ? describe1(p) + ' > ' : '') + s + (text ? ' "' + text + '"' : '');
  };
  const describe1 = (e) => {
    let s = e.tagName.toLowerCase();
    if (e.id) s += '#' + e.id;
    if (e.classList.length) s += '.' + [...e.classList].join('.');
    return s;
  };
  // shown: rendered, not hidden, with a box (it may be scrolled out of view,
  // but not pushed off the document like the skip link).
  const shown = (e) => {
    const cs = getComputedStyle(e);
    if (cs.display === 'none' || cs.visibility === 'hidden') return false;
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return false;
    return r.bottom + scrollY > 0 && r.right + scrollX > 0;
  };
  const px = (v) => parseFloat(v) || 0;
  const ring = (e) => {
    const cs = getComputedStyle(e);
    const outline = cs.outlineStyle !== 'none' && px(cs.outlineWidth) > 0
      ? cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor : 'none';
    return { outline, shadow: cs.boxShadow };
  };
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width, height: r.height };
  };
  // inline reports whether a link sits in running text (WCAG 2.5.8 exempts it).
  const inline = (a) => {
    const p = a.parentElement;
    if (!p) return false;
    return [...p.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '' && !/^[·|,:;()\s]+$/.test(n.textContent));
  };

  // layout measures one page at the current viewport.
  const layout = () => {
    const de = document.documentElement;
    const main = document.querySelector('main');
    const out = {
      lang: de.getAttribute('lang') || '',
      dir: de.getAttribute('dir') || '',
      innerWidth: innerWidth,
      clientWidth: de.clientWidth,
      scrollWidth: de.scrollWidth,
      mains: document.querySelectorAll('main').length,
      mainId: main ? main.id : '',
      h1: (document.querySelector('main h1') || { textContent: '' }).textContent.trim(),
      mainText: main ? main.innerText.trim().length : 0,
      wide: [],
      small: [],
      targets: 0,
    };
    // Elements sticking out of the viewport (tables and code scroll by themselves).
    for (const e of document.querySelectorAll('body *')) {
      if (e.closest('table, pre, .skip') || !shown(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.right > innerWidth + 1 || r.left < -1) out.wide.push(describe(e) + ` [${Math.round(r.left)}..${Math.round(r.right)}]`);
    }
    // Touch targets: links and controls in the header, navigation, footer and
    // lists (a link in running text is exempt); checked against every target.
    const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')].filter(shown);
    const rects = all.map((e) => e.getBoundingClientRect());
    const checked = (e) => {
      if (e.matches('header *, nav *, footer *, .chooser *, form *')) return true;
      const li = e.closest('li');
      return !!li && !inline(e) && e.parentElement === li;
    };
    const big = (r) => r.width >= 24 - 0.01 && r.height >= 24 - 0.01;
    all.forEach((e, i) => {
      if (!checked(e) || e.classList.contains('skip')) return;
      out.targets++;
      const b = rects[i];
      if (big(b)) return;
      // Spacing exception: a 24px circle on the target's centre touches no
      // other target and no other undersized target's circle.
      const cx = b.left + b.width / 2, cy = b.top + b.height / 2;
      let clash = '';
      rects.forEach((c, j) => {
        if (i === j || clash) return;
        const dx = Math.max(c.left - cx, 0, cx - c.right), dy = Math.max(c.top - cy, 0, cy - c.bottom);
        if (Math.hypot(dx, dy) < 12 - 0.01) clash = describe(all[j]);
        else if (!big(c) && Math.hypot(c.left + c.width / 2 - cx, c.top + c.height / 2 - cy) < 24 - 0.01) clash = describe(all[j]);
      });
      if (clash) out.small.push(`${describe(e)} is ${b.width.toFixed(1)}×${b.height.toFixed(1)} and too close to ${clash}`);
    });
    return out;
  };

  // tabStep is called after each Tab key press: it reports the newly focused
  // element with its focus style, and the previous one's style now that it
  // lost focus.
  let prev = null;
  const tabStep = () => {
    const out = {};
    if (prev && prev.el.isConnected) {
      out.prev = describe(prev.el);
      out.prevFocused = prev.ring;
      out.prevBlurred = ring(prev.el);
    }
    const a = document.activeElement;
    out.desc = describe(a);
    out.tag = a ? a.tagName.toLowerCase() : '';
    out.skip = !!a && a.matches('a.skip');
    out.href = a && a.getAttribute ? a.getAttribute('href') || '' : '';
    out.inMain = !!a && !!a.closest && !!a.closest('main');
    out.isMain = !!a && a.tagName === 'MAIN';
    out.target = '';
    if (out.href && out.href[0] === '#') {
      const t = document.getElementById(out.href.slice(1));
      out.target = t ? t.tagName.toLowerCase() : '';
    }
    out.box = a && a !== document.body ? box(a) : null;
    prev = a && a !== document.body ? { el: a, ring: ring(a) } : null;
    return out;
  };

  // textZoom sets the root font size (200% = text resized to twice its size)
  // and reports what overflows or clips.
  const textZoom = (pct) => {
    document.documentElement.style.fontSize = pct + '%';
    void document.body.offsetHeight;
    const de = document.documentElement;
    const out = { innerWidth, scrollWidth: de.scrollWidth, wide: [], clipped: [] };
    for (const e of document.querySelectorAll('header *, main *, footer *, body > p')) {
      if (e.closest('table, pre, .skip') || !shown(e)) continue;
      const r = e.getBoundingClientRect();
      if (r.right > innerWidth + 1 || r.left < -1) out.wide.push(describe(e) + ` [${Math.round(r.left)}..${Math.round(r.right)}]`);
      if (e.matches('input, textarea, select')) continue;
      // Text for screen readers only (a 1×1 px clipped box) shows nothing to clip.
      if (r.width <= 1 && r.height <= 1) continue;
      const cs = getComputedStyle(e);
      const clips = (v) => v === 'hidden' || v === 'clip';
      if ((clips(cs.overflowX) && e.scrollWidth > e.clientWidth + 1) || (clips(cs.overflowY) && e.scrollHeight > e.clientHeight + 1)) {
        out.clipped.push(describe(e));
      }
      if (cs.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1) out.clipped.push(describe(e) + ' (ellipsis)');
    }
    return out;
  };

  // flow gives the boxes of the first two visible items of each list.
  const flow = (sel) => {
    const items = [...document.querySelectorAll(sel)].filter(shown);
    if (items.length < 2) return null;
    return { first: box(items[0]), second: box(items[1]), firstText: items[0].textContent.trim(), secondText: items[1].textContent.trim() };
  };
  const arabic = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
  // order checks that the characters of text[start:end] of a text node are
  // laid out left to right (a Latin run keeps its logical order).
  const order = (node, start, end) => {
    const xs = [];
    for (let i = start; i < end; i++) {
      if (/\s/.test(node.data[i])) continue;
      const r = document.createRange();
      r.setStart(node, i);
      r.setEnd(node, i + 1);
      const rect = r.getClientRects()[0];
      if (rect) xs.push({ x: rect.left + rect.width / 2, y: rect.top });
    }
    for (let i = 1; i < xs.length; i++) {
      if (Math.abs(xs[i].y - xs[i - 1].y) < 2 && xs[i].x < xs[i - 1].x) return false;
    }
    return true;
  };
  const rtl = () => {
    const out = {
      dir: document.documentElement.getAttribute('dir'),
      computed: getComputedStyle(document.body).direction,
      flows: {},
      lists: [],
      h1: null,
      runs: 0,
      scrambled: [],
      switcher: [],
    };
    for (const [name, sel] of Object.entries({
      nav: 'nav.main li', crumbs: '.crumbs li', langs: '.langs li', footer: 'footer nav li',
      emergency: '.emergency .wrap > *', cards: 'main ul.cards > li', chooser: '.chooser li',
    })) {
      const f = flow(sel);
      if (f) out.flows[name] = f;
    }
    // Arrows of a pager point the way the page reads.
    out.pager = [...document.querySelectorAll('.pager a[rel]')].map((a) => a.getAttribute('rel') + ' ' + a.textContent.trim());
    // Lists in the text: markers and indent on the right.
    for (const l of document.querySelectorAll('main ul, main ol')) {
      if (!shown(l)) continue;
      const cs = getComputedStyle(l);
      const li = l.querySelector(':scope > li');
      if (!li) continue;
      const lcs = getComputedStyle(li);
      if (lcs.listStyleType === 'none' || lcs.display !== 'list-item') continue;
      out.lists.push({ desc: describe(l), direction: lcs.direction, padLeft: px(cs.paddingLeft), padRight: px(cs.paddingRight) });
    }
    // The h1 starts at the right edge of its box.
    const h1 = document.querySelector('main h1');
    if (h1 && h1.firstChild) {
      const r = document.createRange();
      r.selectNodeContents(h1);
      const rects = r.getClientRects();
      const hb = h1.getBoundingClientRect();
      if (rects.length) out.h1 = { textRight: rects[0].right, boxRight: hb.right, textLeft: rects[0].left, boxLeft: hb.left };
    }
    // Latin runs inside right-to-left text keep their order.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!arabic.test(n.data) || !n.parentElement || !shown(n.parentElement)) continue;
      for (const m of n.data.matchAll(/[A-Za-z][A-Za-z0-9/.\-]*[A-Za-z0-9]/g)) {
        out.runs++;
        if (!order(n, m.index, m.index + m[0].length)) out.scrambled.push(`"${m[0]}" in ${describe(n.parentElement)}`);
      }
    }
    // Entries in other languages carry their own lang and dir, are isolated,
    // and keep their order.
    for (const a of document.querySelectorAll('.langs a, .chooser a, main a[hreflang], main bdi, main [lang]')) {
      if (!shown(a)) continue;
      const cs = getComputedStyle(a);
      const e = {
        desc: describe(a), switcher: a.matches('.langs a, .chooser a'),
        lang: a.getAttribute('lang') || '', dir: a.getAttribute('dir') || '',
        direction: cs.direction, bidi: cs.unicodeBidi, ordered: true,
      };
      if (e.direction === 'ltr') {
        const w = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
        for (let n = w.nextNode(); n; n = w.nextNode()) {
          for (const m of n.data.matchAll(/[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9/.\-]*/g)) {
            if (!order(n, m.index, m.index + m[0].length)) e.ordered = false;
          }
        }
      }
      out.switcher.push(e);
    }
    return out;
  };

  // print reports, under print media, what must be hidden and shown.
  const print = (reviewed) => {
    const hidden = {};
    for (const sel of ['header nav', 'form.search', '.langs', 'footer nav', '.crumbs', '.skip']) {
      const e = document.querySelector(sel);
      hidden[sel] = e ? getComputedStyle(e).display : 'absent';
    }
    const links = [];
    for (const a of document.querySelectorAll('main a[href]')) {
      const href = a.getAttribute('href');
      if (href.startsWith('#') || !shown(a) || a.closest('.footnotes') || a.matches('.footnote-ref')) continue;
      links.push({ href, after: getComputedStyle(a, '::after').content });
    }
    let reviewedShown = false;
    for (const e of document.querySelectorAll('main *')) {
      if (e.children.length === 0 && e.textContent.includes(reviewed) && shown(e)) reviewedShown = true;
    }
    // The page's address, printed in the footer, keeps its order.
    const printed = document.querySelector('.printed');
    let printedText = '', printedOrdered = true;
    if (printed && shown(printed)) {
      printedText = printed.textContent;
      const w = document.createTreeWalker(printed, NodeFilter.SHOW_TEXT);
      for (let n = w.nextNode(); n; n = w.nextNode()) {
        for (const m of n.data.matchAll(/https?:\/\/[^\s\u2069]+/g)) {
          if (!order(n, m.index, m.index + m[0].length)) printedOrdered = false;
        }
      }
    }
    return { hidden, links, reviewedShown, printed: printedText, printedOrdered };
  };

  // firstScreen measures what a phone shows before any scrolling: where the
  // h1 and main start, the emergency numbers in view, the one-tap way to
  // the navigation and search, and the chooser's languages in view.
  const firstScreen = () => {
    const h = innerHeight;
    const top = (e) => e.getBoundingClientRect().top + scrollY;
    const inView = (e) => {
      const r = e.getBoundingClientRect();
      return shown(e) && r.top + scrollY >= 0 && r.bottom + scrollY <= h + 0.5 && r.width > 0;
    };
    const h1 = document.querySelector('main h1');
    const main = document.querySelector('main');
    const out = { height: h, h1Top: h1 ? top(h1) : -1, mainTop: main ? top(main) : -1, tels: [], menu: '', menuNav: 0, menuSearch: 0, chooser: 0, chooserInView: 0, chooserSmall: [], sampleLines: 0 };
    for (const a of document.querySelectorAll('a[href^="tel:"]')) {
      if (!a.closest('main') && inView(a)) {
        const r = a.getBoundingClientRect();
        out.tels.push(a.getAttribute('href').slice(4) + (r.height >= 24 && r.width >= 24 ? '' : ' (small)'));
      }
    }
    // A link in the header, in view, that leads to an element holding the
    // main navigation and the search form.
    for (const a of document.querySelectorAll('header a[href^="#"]')) {
      const t = document.getElementById(a.getAttribute('href').slice(1));
      if (!t || !inView(a) || !t.querySelector('nav a') || !t.querySelector('input[type=search]')) continue;
      out.menu = a.getAttribute('href');
      out.menuNav = t.querySelectorAll('nav a').length;
      out.menuSearch = t.querySelectorAll('input[type=search]').length;
    }
    // Or navigation and search in view already.
    if (!out.menu && [...document.querySelectorAll('header nav a')].some(inView) && [...document.querySelectorAll('header input[type=search]')].some(inView)) out.menu = 'shown';
    const sample = document.querySelector('.sample');
    if (sample && shown(sample)) {
      const lh = parseFloat(getComputedStyle(sample).lineHeight) || 20;
      const cs = getComputedStyle(sample);
      out.sampleLines = Math.round((sample.getBoundingClientRect().height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom) - parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth)) / lh);
    }
    for (const a of document.querySelectorAll('.chooser a')) {
      out.chooser++;
      if (inView(a)) out.chooserInView++;
      const r = a.getBoundingClientRect();
      if (r.height < 44 || r.width < 44) out.chooserSmall.push(a.textContent.trim() + ` ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
    }
    return out;
  };

  return { layout, tabStep, textZoom, rtl, print, firstScreen };
})();
