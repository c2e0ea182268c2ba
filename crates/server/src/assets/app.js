// hoptac: progressive enhancement only — every feature of the page works without this file.
// 1. Suggestions as you type (an ARIA 1.2 combobox filled from /api/suggest); a ministry or topic
//    chosen is applied as a filter.
// 2. On a phone, the filter panel starts folded unless a filter is in use.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (input && list && window.fetch) {
    var items = [];
    var active = -1;
    var timer = 0;
    var pending = null;
    var kinds = { country: "quốc gia", ministry: "bộ/ngành", topic: "chủ đề", phrase: "" };

    var close = function () {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      items = [];
      active = -1;
    };

    var highlight = function (i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, k) {
        li.setAttribute("aria-selected", k === i ? "true" : "false");
      });
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", "q-s-" + i);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };

    // A ministry or a topic is a filter: choosing one applies it (the words before it stay the
    // query). A country or a phrase is searched as words: a country typed already finds the
    // documents about it.
    var asFilter = { ministry: true, topic: true };
    var choose = function (i) {
      var s = items[i];
      if (!s) return;
      if (asFilter[s.kind]) {
        var f = document.createElement("input");
        f.type = "hidden";
        f.name = s.kind;
        f.value = s.text;
        input.form.appendChild(f);
        input.value = s.rest;
      } else {
        input.value = s.query;
      }
      close();
      if (input.form.requestSubmit) input.form.requestSubmit(); else input.form.submit();
    };

    var show = function (suggestions) {
      close();
      items = suggestions;
      if (!items.length) return;
      items.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-s-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var t = document.createElement("span");
        t.textContent = s.query; // text, never HTML
        li.appendChild(t);
        if (kinds[s.kind]) {
          var k = document.createElement("span");
          k.className = "k";
          k.textContent = kinds[s.kind] + (s.count ? " · " + s.count : "");
          li.appendChild(k);
        }
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(i); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };

    var ask = function () {
      var q = input.value;
      if (q.trim().length < 2) { close(); return; }
      if (pending) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch("/api/suggest?q=" + encodeURIComponent(q), pending ? { signal: pending.signal } : {})
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (body) {
          if (input.value === q && document.activeElement === input) show(body.suggestions || []);
        })
        .catch(function () { /* offline or aborted: no suggestions, the form still works */ });
    };

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) {
        if (e.key === "ArrowDown" && input.value.trim().length >= 2) { ask(); e.preventDefault(); }
        return;
      }
      if (e.key === "ArrowDown") { highlight((active + 1) % items.length); e.preventDefault(); }
      else if (e.key === "ArrowUp") { highlight(active <= 0 ? items.length - 1 : active - 1); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0) { choose(active); e.preventDefault(); }
      else if (e.key === "Escape") { close(); e.preventDefault(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  var filters = document.getElementById("filters");
  if (filters && window.matchMedia && window.matchMedia("(max-width: 759px)").matches &&
      !document.querySelector(".active")) {
    filters.open = false;
  }
})();
