// The labeling app's pages (pipeline/review/server.py). Plain JavaScript, no build step,
// nothing from the network. Paper text is only ever set as text, never as HTML.
"use strict";
(() => {
  const $ = (sel, el = document) => el.querySelector(sel);
  const h = (tag, attrs = {}, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      else if (k === "text") el.textContent = v;
      else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined) el.append(kid);
    return el;
  };
  const typing = (ev) => ["INPUT", "SELECT", "TEXTAREA"].includes(ev.target.tagName);

  // ------------------------------------------------------------------ corpus page
  if (document.body.classList.contains("corpus")) {
    const rows = [...document.querySelectorAll("#corpus tbody tr")];
    let at = -1;
    const go = (i) => {
      if (!rows.length) return;
      if (at >= 0) rows[at].classList.remove("current");
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows[at].classList.add("current");
      rows[at].scrollIntoView({block: "nearest"});
    };
    document.addEventListener("keydown", (ev) => {
      if (typing(ev)) return;
      if (ev.key === "j" || ev.key === "ArrowDown") { go(at + 1); ev.preventDefault(); }
      else if (ev.key === "k" || ev.key === "ArrowUp") { go(at - 1); ev.preventDefault(); }
      else if (ev.key === "Enter" && at >= 0) location.href = $("a", rows[at]).href;
    });
    return;
  }

  // ------------------------------------------------------------------- paper page
  const root = $("#app");
  const docId = root.dataset.doc;
  const api = (path) => `/api/${path}/${encodeURIComponent(docId)}`;
  const MENTION_FIELDS = {
    COUNTRY: ["iso3", "name", "aliases"], REGION: ["name", "iso3", "aliases"],
    PROGRAM: ["canonical", "iso3", "aliases"], ORG: ["canonical", "iso3", "aliases"],
    MONEY: ["value", "currency", "approx", "low", "high", "from_value"],
    PERCENT: ["value", "approx", "low", "high", "from_value"], DATE: ["year", "month"],
    SECTOR: ["canonical", "aliases"],
  };
  const MEASURE_FIELDS = ["quantity_type", "value", "currency", "approx", "low", "high", "from_value", "country",
    "region", "program", "org", "year", "sector", "instrument", "beneficiary", "evidence"];
  const NUMBERS = new Set(["value", "low", "high", "from_value", "year", "month"]);
  const LISTS = {iso3: "countries", country: "countries", currency: "currencies", instrument: "instruments",
    sector: "sectors", program: "programs", org: "orgs"};
  const COLORS = {COUNTRY: "#7aecec", REGION: "#bfeeb7", PROGRAM: "#feca74", ORG: "#aa9cfc", MONEY: "#e4e7d2",
    PERCENT: "#f0d0ff", DATE: "#bfe1d9", SECTOR: "#ffeb80", COUNT: "#e0e0e0"};
  const S = {paper: null, labels: null, version: "", status: {}, before: {}, tab: "measures", sel: 0,
    page: 1, dirty: false, vocab: {}, accepted: new Set(), entries: []};
  const storeKey = `policyx:accepted:${docId}`;

  const msg = (text, kind = "") => { const m = $("#msg"); m.textContent = text; m.className = kind; };
  const fingerprint = (e) => JSON.stringify([e.kind, e.type, e.item]);

  async function call(method, path, body) {
    const res = await fetch(path, {method, headers: body ? {"Content-Type": "application/json"} : {},
      body: body ? JSON.stringify(body) : undefined});
    const data = await res.json();
    return {ok: res.ok, status: res.status, data};
  }

  // A field's value as the editor shows it, and back: lists as "a | b", "" as "\"\"".
  const show = (key, v) => v === undefined || v === null ? "" : Array.isArray(v)
    ? v.map((x) => x === "" ? "\"\"" : String(x)).join(key === "aliases" ? ", " : " | ")
    : v === "" ? "\"\"" : String(v);
  function parse(key, text) {
    text = text.trim();
    if (text === "") return undefined;
    if (key === "aliases") return text.split(",").map((s) => s.trim()).filter(Boolean);
    const one = (s) => {
      s = s.trim();
      if (s === "\"\"") return "";
      if (NUMBERS.has(key) && s !== "" && !isNaN(Number(s.replace(/,/g, "")))) return Number(s.replace(/,/g, ""));
      return ["iso3", "country", "currency"].includes(key) ? s.toUpperCase() : s;
    };
    const parts = text.split("|");
    return parts.length > 1 ? parts.map(one) : one(text);
  }

  function entries() {
    const out = [];
    if (S.tab === "measures") {
      (S.labels.measures || []).forEach((item, i) => out.push({kind: "measure", type: "measure", i, item,
        st: (S.status.measures || [])[i] || {}}));
    } else {
      for (const type of Object.keys(MENTION_FIELDS)) {
        const items = (S.labels.mentions || {})[type] || [];
        items.forEach((item, i) => out.push({kind: "mention", type, i, item,
          st: ((S.status.mentions || {})[type] || [])[i] || {}}));
      }
    }
    return out;
  }

  function describe(e) {
    const it = e.item, f = (k) => it[k] === undefined ? null
      : typeof it[k] === "number" && k !== "year" && k !== "month" ? it[k].toLocaleString("en") : show(k, it[k]);
    const parts = e.kind === "measure"
      ? [it.quantity_type, f("value"), f("currency"), f("country"), f("program") || f("org"), f("instrument"), f("year")]
      : MENTION_FIELDS[e.type].map(f);
    return parts.filter((x) => x !== null && x !== "").join(" · ");
  }

  // The list of items; the editor is redrawn only when asked (never while someone types in it).
  function renderList(withEditor = false) {
    S.entries = entries();
    S.sel = Math.min(S.sel, Math.max(0, S.entries.length - 1));
    const list = $("#list");
    list.replaceChildren();
    let group = "";
    S.entries.forEach((e, n) => {
      if (e.kind === "mention" && e.type !== group) { group = e.type; list.append(h("div", {class: "group", text: group})); }
      const acc = S.accepted.has(fingerprint(e));
      const wrong = Object.keys(e.st.wrong || {});
      list.append(h("div", {class: `entry${n === S.sel ? " sel" : ""}${acc ? " accepted" : ""}`, "data-n": n,
        on: {click: () => select(n)}},
        h("span", {class: "mark", title: acc ? "accepted" : "not reviewed yet", text: acc ? "\u2714" : "\u2022"}),
        h("span", {class: e.st.found ? "found" : "missed", title: e.st.found ? "the pipeline finds it" : "the pipeline misses it",
          text: e.st.found ? "\u25cf" : "\u25cb"}),
        h("span", {class: "what", text: describe(e)},
          wrong.length ? h("span", {class: "wrongf", text: ` (pipeline differs: ${wrong.join(", ")})`}) : null),
        e.item.optional ? h("span", {class: "opt", text: "optional"}) : null,
        h("button", {title: "accept (a)", text: "\u2714", on: {click: (ev) => { ev.stopPropagation(); select(n); accept(); }}}),
        h("button", {title: "delete (x)", text: "\u2715", on: {click: (ev) => { ev.stopPropagation(); select(n); remove(); }}})));
    });
    if (!S.entries.length) list.append(h("p", {class: "note", text: "Nothing here yet: select text to add an item."}));
    $("#tab-measures").textContent = `Measures (${(S.labels.measures || []).length})`;
    $("#tab-mentions").textContent = `Mentions (${Object.values(S.labels.mentions || {}).reduce((a, l) => a + (l || []).length, 0)})`;
    $("#tab-measures").classList.toggle("on", S.tab === "measures");
    $("#tab-mentions").classList.toggle("on", S.tab === "mentions");
    if (withEditor) renderEditor();
  }

  function renderEditor() {
    const box = $("#editor");
    box.replaceChildren();
    const e = S.entries[S.sel];
    if (!e) return;
    const fields = e.kind === "measure" ? MEASURE_FIELDS : MENTION_FIELDS[e.type];
    const grid = h("div", {class: "fields"});
    for (const key of fields) {
      let input;
      if (key === "quantity_type" || key === "approx") {
        const opts = key === "approx" ? [["", "(not labeled)"], ["\"\"", "none (exact)"], ["~", "~ about"], [">", "> more than"], ["<", "< up to"]]
          : [["", "(choose)"], ...S.vocab.quantity_types.map((q) => [q, q])];
        input = h("select", {}, opts.map(([v, t]) => h("option", {value: v, text: t})));
        input.value = show(key, e.item[key]);
      } else if (key === "evidence") {
        input = h("textarea", {}); input.value = show(key, e.item[key]);
      } else {
        input = h("input", {type: "text", list: LISTS[key] ? `dl-${LISTS[key]}` : null, autocomplete: "off"});
        input.value = show(key, e.item[key]);
      }
      input.name = key;
      input.addEventListener("change", () => edit(e, key, input.value));
      grid.append(h("label", {for: `f-${key}`, text: key}), input);
      input.id = `f-${key}`;
    }
    const opt = h("input", {type: "checkbox", id: "f-optional", name: "optional"});
    opt.checked = !!e.item.optional;
    opt.addEventListener("change", () => edit(e, "optional", opt.checked ? true : ""));
    const note = h("input", {type: "text", id: "f-note", name: "note"});
    note.value = show("note", e.item.note);
    note.addEventListener("change", () => edit(e, "note", note.value));
    grid.append(h("label", {for: "f-optional", text: "optional"}), opt, h("label", {for: "f-note", text: "note"}), note);
    const where = e.st.found ? (e.kind === "measure" ? `matched ${e.st.measure_id} on page ${e.st.page}`
      : `found on page ${(e.st.pages || []).join(", ")}`) : "not found by the pipeline";
    box.append(h("div", {class: "hint", text: `${e.kind === "measure" ? "Measure" : e.type} ${e.i + 1}: ${where}. ` +
      "Empty = not labeled; \"\" = must be empty; a | b = either."}), grid);
    showPlace(e);
  }

  function edit(e, key, value) {
    const before = fingerprint(e);
    const parsed = key === "optional" ? (value === true ? true : undefined)
      : key === "note" || key === "evidence" ? (value.trim() || undefined) : parse(key, value);
    if (parsed === undefined) delete e.item[key]; else e.item[key] = parsed;
    if (S.accepted.has(before)) S.accepted.delete(before);
    S.accepted.add(fingerprint(e));             // a correction is a review
    changed();
  }

  function changed(withEditor = false) {
    S.dirty = true;
    storeAccepted();
    msg("unsaved changes");
    renderList(withEditor);
    clearTimeout(S.timer);
    S.timer = setTimeout(rescore, 400);
  }

  const storeAccepted = () => localStorage.setItem(storeKey, JSON.stringify([...S.accepted]));

  function select(n) {
    S.sel = Math.max(0, Math.min(S.entries.length - 1, n));
    document.querySelectorAll(".entry").forEach((el) => el.classList.toggle("sel", Number(el.dataset.n) === S.sel));
    const cur = document.querySelector(`.entry[data-n="${S.sel}"]`);
    if (cur) cur.scrollIntoView({block: "nearest"});
    renderEditor();
  }

  function accept() {
    const e = S.entries[S.sel];
    if (!e) return;
    S.accepted.add(fingerprint(e));
    storeAccepted();
    renderList();
    select(S.sel + 1);
  }

  function remove() {
    const e = S.entries[S.sel];
    if (!e) return;
    if (e.kind === "measure") S.labels.measures.splice(e.i, 1);
    else S.labels.mentions[e.type].splice(e.i, 1);
    changed(true);
  }

  function toggleOptional() {
    const e = S.entries[S.sel];
    if (e) edit(e, "optional", e.item.optional ? "" : true);
  }

  // Where an item is: its mark in the text, and its page.
  function showPlace(e) {
    document.querySelectorAll("#text mark.focus").forEach((m) => m.classList.remove("focus"));
    let target = null;
    if (e.kind === "mention") {
      for (const start of e.st.starts || []) {
        target = $(`#text mark[data-start="${start}"]`);
        if (target) break;
      }
      if (target) target.classList.add("focus");
    } else {
      const ev = (e.item.evidence || e.st.evidence || "").slice(0, 40);
      const at = ev ? S.paper.text.indexOf(ev) : -1;
      if (at >= 0) target = [...document.querySelectorAll("#text .chunk")].find((c) => +c.dataset.start <= at && at < +c.dataset.end);
    }
    if (target) target.scrollIntoView({block: "center"});
    const page = Number(e.kind === "measure" ? e.st.page : (e.st.pages || [])[0]);
    if (page) showPage(page);
  }

  function showPage(n) {
    if (!S.paper.pdf_pages) return;
    S.page = Math.max(1, Math.min(S.paper.pdf_pages, n));
    $("#pageno").textContent = `page ${S.page} of ${S.paper.pdf_pages}`;
    const src = `/api/page/${encodeURIComponent(docId)}/${S.page}.png`;
    if ($("#pageimg").getAttribute("src") !== src) $("#pageimg").setAttribute("src", src);
  }

  function renderText() {
    const text = S.paper.text, spans = S.paper.spans, box = $("#text");
    box.replaceChildren();
    let k = 0, lastPage = null;
    for (const [start, end, page, kind] of S.paper.chunks) {
      if (page && page !== lastPage) { box.append(h("div", {class: "page-tag", text: `page ${page}`})); lastPage = page; }
      const div = h("div", {class: `chunk ${kind}`, "data-start": start, "data-end": end});
      let at = start;
      while (k < spans.length && spans[k].start < start) k++;
      while (k < spans.length && spans[k].end <= end) {
        const s = spans[k++];
        div.append(text.slice(at, s.start));
        div.append(h("mark", {"data-start": s.start, "data-end": s.end, "data-type": s.type, title: s.value,
          style: `background:${COLORS[s.type] || "#ddd"}`, text: text.slice(s.start, s.end)}));
        at = s.end;
      }
      div.append(text.slice(at, end));
      box.append(div);
    }
    if (!text.trim()) box.append(h("p", {class: "note", text: "No body text." + (S.paper.document.error ? ` Error: ${S.paper.document.error}` : "")}));
  }

  // Text offset of a DOM point inside #text: chunk start + characters before it in the chunk.
  function offsetOf(node, offset) {
    const el = node.nodeType === 1 ? node : node.parentElement;
    const chunk = el && el.closest(".chunk");
    if (!chunk) return null;
    const r = document.createRange();
    r.setStart(chunk, 0);
    r.setEnd(node, offset);
    return Number(chunk.dataset.start) + r.toString().length;
  }

  function onSelect(ev) {
    const sel = window.getSelection();
    const bar = $("#addbar");
    if (!sel.rangeCount || sel.isCollapsed) { bar.hidden = true; return; }
    const r = sel.getRangeAt(0);
    let start = offsetOf(r.startContainer, r.startOffset), end = offsetOf(r.endContainer, r.endOffset);
    if (start === null || end === null) { bar.hidden = true; return; }
    const text = S.paper.text;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end <= start) { bar.hidden = true; return; }
    S.pending = {start, end};
    bar.hidden = false;
    bar.style.left = `${Math.min(ev.clientX, window.innerWidth - 420)}px`;
    bar.style.top = `${Math.min(ev.clientY + 12, window.innerHeight - 80)}px`;
  }

  async function add(kind) {
    $("#addbar").hidden = true;
    const {start, end} = S.pending || {};
    if (start === undefined) return;
    const res = await call("POST", `${api("paper")}/suggest`, {kind, start, end});
    if (!res.ok) { msg(res.data.error, "err"); return; }
    const item = res.data.item;
    if (kind === "measure") { S.labels.measures = S.labels.measures || []; S.labels.measures.push(item); S.tab = "measures"; }
    else {
      S.labels.mentions = S.labels.mentions || {};
      (S.labels.mentions[kind] = S.labels.mentions[kind] || []).push(item);
      S.tab = "mentions";
    }
    S.entries = entries();
    S.sel = S.entries.findIndex((e) => e.item === item);
    S.accepted.add(fingerprint(S.entries[S.sel]));
    changed(true);
    window.getSelection().removeAllRanges();
    const first = $("#editor input, #editor select");
    if (first) first.focus();
  }

  function renderScores(scores, problems) {
    const box = $("#scores");
    box.replaceChildren();
    if (problems && problems.length) box.append(h("div", {id: "problems", text: `Not scored: ${problems.slice(0, 3).join("; ")}`}));
    const fmt = (x) => x === null || x === undefined ? "" : Number(x).toFixed(2);
    const rows = scores.map((r) => {
      const now = r.f1 ?? r.accuracy, was = S.before[r.item];
      const cls = was === undefined || now === was ? "" : now > was ? "up" : "down";
      return h("tr", {"data-item": r.item}, h("td", {text: r.item}), h("td", {text: fmt(r.precision)}), h("td", {text: fmt(r.recall)}),
        h("td", {class: `score ${cls}`, text: fmt(now)}), h("td", {class: "was", text: was === undefined ? "" : fmt(was)}),
        h("td", {text: `${r.tp}/${r.fp ?? ""}/${r.fn}`}));
    });
    box.append(h("div", {class: "wide"}, h("table", {}, h("thead", {}, h("tr", {}, ["item", "P", "R", "F1/acc", "before", "tp/fp/fn"].map((t) => h("th", {text: t})))),
      h("tbody", {}, rows))));
  }

  // Scores of the unsaved labels; an answer overtaken by a later score or save is dropped.
  async function rescore() {
    const seq = S.seq = (S.seq || 0) + 1;
    const res = await call("POST", `${api("paper")}/score`, {labels: S.labels});
    if (seq !== S.seq) return;
    if (!res.ok) { msg(res.data.error, "err"); return; }
    S.status = res.data.status; renderScores(res.data.scores, res.data.problems); renderList();
  }

  async function save() {
    S.labels.status = $("#status").value;
    clearTimeout(S.timer);
    S.seq = (S.seq || 0) + 1;
    const res = await call("POST", `${api("paper")}/save`, {labels: S.labels, version: S.version});
    if (!res.ok) {
      msg(res.status === 409 ? `Not saved: ${res.data.error}` : `Not saved: ${res.data.error}`, "err");
      return;
    }
    S.version = res.data.version; S.dirty = false; S.status = res.data.status;
    renderScores(res.data.scores, res.data.problems);
    S.before = Object.fromEntries(res.data.scores.map((r) => [r.item, r.f1 ?? r.accuracy]));
    msg(`saved ${res.data.saved} (version ${S.version})`, "ok");
    $("#origin").textContent = res.data.saved;
    renderList();
  }

  function layout() {
    const p = S.paper;
    root.replaceChildren(
      h("header", {class: "bar"}, h("a", {href: "/", text: "\u2190 corpus"}), h("h1", {text: p.title || docId, title: p.title}),
        h("span", {class: "note"}, p.title ? `${docId} \u00b7 ` : "", h("span", {id: "origin", text: p.origin})),
        h("label", {}, "status ", h("select", {id: "status", on: {change: () => { S.labels.status = $("#status").value; changed(); }}},
          h("option", {value: "draft", text: "draft"}), h("option", {value: "final", text: "final"}))),
        h("button", {id: "save", class: "primary", text: "Save (Ctrl+S)", on: {click: save}}), h("span", {id: "msg"})),
      h("div", {class: `grid${p.pdf_pages ? "" : " nopdf"}`},
        h("section", {id: "textpane"}, h("div", {id: "text", on: {mouseup: onSelect, click: onMark}})),
        h("section", {id: "pagepane"}, p.pdf_pages ? [h("div", {class: "nav"},
          h("button", {text: "\u25c0", title: "previous page", on: {click: () => showPage(S.page - 1)}}), h("span", {id: "pageno"}),
          h("button", {text: "\u25b6", title: "next page", on: {click: () => showPage(S.page + 1)}})), h("img", {id: "pageimg", alt: "page image"})] : null),
        h("section", {id: "labelpane"}, h("div", {id: "scores"}),
          h("div", {class: "tabs"}, h("button", {id: "tab-measures", on: {click: () => { S.tab = "measures"; S.sel = 0; renderList(true); }}}),
            h("button", {id: "tab-mentions", on: {click: () => { S.tab = "mentions"; S.sel = 0; renderList(true); }}})),
          h("div", {id: "list"}), h("div", {id: "editor"}))),
      h("div", {id: "addbar", hidden: true}, [...Object.keys(MENTION_FIELDS), "measure"].map((k) =>
        h("button", {"data-kind": k, text: k, style: `background:${COLORS[k] || "#fff"}`, on: {click: () => add(k)}}))),
      h("footer", {class: "help"}, "Keys: j/\u2193 next, k/\u2191 previous, a accept, o optional, x delete, e edit, Ctrl+S save. " +
        "Select text to add a mention or a measure. \u25cf found by the pipeline, \u25cb missed; \u2714 reviewed."),
      ...Object.entries(LISTS).filter(([k]) => k !== "iso3").map(([, name]) => name)
        .filter((n, i, a) => a.indexOf(n) === i).map((name) => h("datalist", {id: `dl-${name}`},
          (S.vocab[name] || []).map((v) => Array.isArray(v) ? h("option", {value: v[0], text: v[1]}) : h("option", {value: v})))));
    $("#status").value = S.labels.status === "final" ? "final" : "draft";
  }

  function onMark(ev) {
    const mark = ev.target.closest("mark");
    if (!mark || !window.getSelection().isCollapsed) return;
    const start = Number(mark.dataset.start), type = mark.dataset.type;
    S.tab = "mentions";
    S.entries = entries();
    const n = S.entries.findIndex((e) => e.type === type && (e.st.starts || []).includes(start));
    if (n >= 0) { S.sel = n; renderList(true); return; }
    S.pending = {start, end: Number(mark.dataset.end)};
    const bar = $("#addbar");
    bar.hidden = false;
    bar.style.left = `${Math.min(ev.clientX, window.innerWidth - 420)}px`;
    bar.style.top = `${Math.min(ev.clientY + 12, window.innerHeight - 80)}px`;
    msg(`this ${type} is not among the labels: add it?`);
  }

  document.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); document.activeElement.blur(); save(); return; }
    if (ev.key === "Escape") { $("#addbar").hidden = true; document.activeElement.blur(); return; }
    if (typing(ev) || ev.ctrlKey || ev.metaKey || ev.altKey || !S.labels) return;
    const keys = {j: () => select(S.sel + 1), ArrowDown: () => select(S.sel + 1), k: () => select(S.sel - 1),
      ArrowUp: () => select(S.sel - 1), a: accept, o: toggleOptional, x: remove, Delete: remove,
      e: () => { const f = $("#editor input, #editor select"); if (f) f.focus(); }};
    if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
  });
  window.addEventListener("beforeunload", (ev) => { if (S.dirty) { ev.preventDefault(); ev.returnValue = ""; } });

  (async () => {
    const [paper, vocab] = await Promise.all([call("GET", api("paper")), call("GET", "/api/vocab")]);
    if (!paper.ok || !vocab.ok) { root.textContent = `Cannot open ${docId}: ${(paper.ok ? vocab : paper).data.error}`; return; }
    S.paper = paper.data; S.vocab = vocab.data; S.labels = paper.data.labels; S.version = paper.data.version;
    S.status = paper.data.status;
    S.labels.mentions = S.labels.mentions || {}; S.labels.measures = S.labels.measures || [];
    S.accepted = new Set(JSON.parse(localStorage.getItem(storeKey) || "[]"));
    S.before = Object.fromEntries(paper.data.scores.map((r) => [r.item, r.f1 ?? r.accuracy]));
    layout(); renderText(); renderScores(paper.data.scores, paper.data.problems); renderList(true);
    if (S.paper.pdf_pages) showPage(1);
    document.body.dataset.ready = "1";
  })();
})();
