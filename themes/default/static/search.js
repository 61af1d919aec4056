// Labor Digest search: queries the index generator/search.py writes under search/, in the browser.
// Index text is scraped and hostile: it reaches the page only through textContent, never as HTML.
(() => {
  'use strict';
  const form = document.querySelector('form[data-base]');
  if (!form) return;
  const input = form.elements.q;
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.getElementById('search-more');
  const base = form.dataset.base;
  const PAGE = 10;
  const CJK = '\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff';
  const IS_CJK = new RegExp('[' + CJK + ']');
  const CJK_SPLIT = new RegExp('([' + CJK + ']+)');
  const WORD = /[\p{L}\p{N}]+/gu;
  const cache = new Map();
  let manifest, keys, shown = [], hits = [], words = [], run = 0, timer;

  // The same folding as search.py: no diacritics, lower case.
  const fold = (s) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ');

  const load = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch(base + path).then((r) => {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      }));
    }
    return cache.get(path);
  };

  const hex = (s) => Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('');
  const shardPath = (key) => 'search/index/' + (/^[a-z0-9]+$/.test(key) ? 't-' + key : 'u-' + hex(key)) + '.json';

  // Query words: [term, isPrefix]. The last word, while being typed, matches as a prefix.
  function parse(q) {
    const out = [];
    const stop = new Set(manifest.stop);
    for (const word of fold(q).match(WORD) || []) {
      for (const part of word.split(CJK_SPLIT)) {
        if (!part) continue;
        if (IS_CJK.test(part)) {
          const chars = Array.from(part);
          if (chars.length === 1) out.push([part, true]);
          for (let i = 0; i + 1 < chars.length; i++) out.push([chars[i] + chars[i + 1], false]);
        } else if (!stop.has(part) && part.length > 1 && part.length <= manifest.maxTerm) {
          out.push([part, false]);
        }
      }
    }
    const last = out[out.length - 1];
    if (last && !/\s$/.test(q) && !IS_CJK.test(last[0]) && last[0].length >= 3) last[1] = true;
    return out;
  }

  // The shard holding a term is the one with the longest key that starts it;
  // a prefix also reaches every shard whose key starts with the prefix.
  function shardsFor(term, prefix) {
    const chars = Array.from(term);
    const found = new Set();
    for (let n = chars.length; n > 0; n--) {
      const key = chars.slice(0, n).join('');
      if (keys.has(key)) { found.add(key); break; }
    }
    if (prefix) for (const key of keys) if (key.startsWith(term)) found.add(key);
    return [...found];
  }

  async function postings(term, prefix) {
    const shards = await Promise.all(shardsFor(term, prefix).map((k) => load(shardPath(k))));
    const scores = new Map();
    for (const shard of shards) {
      for (const t in shard) {
        if (t !== term && !(prefix && t.startsWith(term))) continue;
        const flat = shard[t];
        for (let i = 0, doc = 0; i < flat.length; i += 2) {
          doc += flat[i];
          scores.set(doc, Math.max(scores.get(doc) || 0, flat[i + 1]));
        }
      }
    }
    return scores;
  }

  // Every word must match; scores add up; equal scores go to the newer story (higher number).
  async function find(q) {
    if (!manifest) {
      manifest = await load('search/index/manifest.json');
      keys = new Set(manifest.keys);
    }
    words = parse(q);
    if (!words.length) return [];
    const maps = await Promise.all(words.map(([t, p]) => postings(t, p)));
    maps.sort((a, b) => a.size - b.size);
    const out = [];
    for (const [doc, score] of maps[0]) {
      let total = score;
      for (let i = 1; i < maps.length && total; i++) {
        const s = maps[i].get(doc);
        total = s ? total + s : 0;
      }
      if (total) out.push([doc, total]);
    }
    return out.sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  }

  // A stretch of the text around the first match, with every matching word marked.
  function snippet(text) {
    const marks = [];
    let stop = Infinity;
    for (const m of text.matchAll(WORD)) {
      if (m.index > stop) break; // past the stretch shown: long bodies are not scanned to the end
      const f = fold(m[0]);
      for (const [t, p] of words) {
        const hit = IS_CJK.test(t) ? m[0].indexOf(t) : (f === t || (p && f.startsWith(t))) ? 0 : -1;
        if (hit >= 0) {
          marks.push([m.index + hit, IS_CJK.test(t) ? m.index + hit + t.length : m.index + m[0].length]);
          if (marks.length === 1) stop = m.index + 300;
          break;
        }
      }
    }
    let start = 0;
    if (marks.length && marks[0][0] > 60) {
      start = text.lastIndexOf(' ', marks[0][0] - 60) + 1;
    }
    let end = Math.min(text.length, start + 240);
    if (end < text.length) end = Math.max(text.lastIndexOf(' ', end), (marks[0] || [0, 0])[1]);
    const p = document.createElement('p');
    p.className = 'snippet';
    let at = start;
    if (start > 0) p.append('…');
    for (const [a, b] of marks) {
      if (a < at || b > end) continue;
      p.append(text.slice(at, a));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(a, b);
      p.append(mark);
      at = b;
    }
    p.append(text.slice(at, end) + (end < text.length ? '…' : ''));
    return p;
  }

  function entry(doc) {
    const li = document.createElement('li');
    const h = document.createElement('h2');
    h.className = 'entry-title';
    const a = document.createElement('a');
    a.href = base + doc.u;
    a.textContent = doc.t;
    h.append(a);
    const meta = document.createElement('p');
    meta.className = 'meta';
    if (doc.p) {
      const pub = document.createElement('span');
      pub.className = 'publication';
      pub.textContent = doc.p;
      meta.append(pub, ' · ');
    }
    const time = document.createElement('time');
    time.dateTime = doc.d;
    time.textContent = doc.r;
    meta.append(doc.a ? 'Added ' : '', time);
    li.append(h, meta, snippet(doc.x));
    return li;
  }

  // Results are drawn in rank order, each as soon as its document (and those above it) arrived.
  async function showMore(focus) {
    const mine = run;
    const next = hits.slice(shown.length, shown.length + PAGE);
    const pending = next.map(([n]) => load('search/docs/' + n + '.json'));
    shown = shown.concat(next);
    more.hidden = true;
    for (const [i, doc] of pending.entries()) {
      const li = entry(await doc);
      if (mine !== run) return;
      list.append(li);
      if (focus && i === 0) li.querySelector('a').focus();
    }
    more.hidden = shown.length >= hits.length;
  }

  async function search(q) {
    const mine = ++run;
    const found = q.trim() ? await find(q) : [];
    if (mine !== run) return;
    hits = found;
    shown = [];
    list.replaceChildren();
    list.hidden = !hits.length;
    const n = hits.length;
    status.textContent = !q.trim() ? '' : n ? `${n} ${n === 1 ? 'story matches' : 'stories match'} “${q.trim()}”.`
      : words.length ? `No stories match “${q.trim()}”.` : 'Type a more specific word.';
    await showMore(false);
  }

  async function go(q) {
    try {
      await search(q);
    } catch (err) {
      status.textContent = 'Search is unavailable: the index could not be loaded.';
      throw err;
    }
    const url = new URL(location.href);
    if (q.trim()) url.searchParams.set('q', q); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => go(input.value), 120);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    go(input.value);
  });
  more.querySelector('button').addEventListener('click', () => showMore(true));
  // For bench/search_bench.py: resolves once results are on the page; .rank resolves with the ranked hits.
  window.laborDigestSearch = Object.assign(search, { rank: find });
  // The manifest is small and every query needs it: fetch it while the reader types.
  load('search/index/manifest.json').catch(() => {});

  const q = new URLSearchParams(location.search).get('q');
  if (q) {
    input.value = q;
    go(q);
  }
})();
