// Law-name suggestions under a search box marked `data-suggest`: typing asks
// /api/suggest (debounced), up/down move through the list, Enter or a tap opens the law.
// Without this script the box is a plain search form.
(function () {
  "use strict";
  var DELAY_MS = 150;

  function attach(input) {
    var list = document.createElement("ul");
    list.className = "suggest";
    list.id = input.id + "-suggest";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.parentNode.classList.add("has-suggest");
    input.parentNode.appendChild(list);
    var timer = null, asked = "", active = -1, items = [];

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        var a = document.createElement("a");
        a.href = "/laws/" + s.law_id;
        a.textContent = "《" + s.title + "》";
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = s.region && s.region !== "全国" ? s.level + " · " + s.region : s.level;
        a.appendChild(meta);
        li.appendChild(a);
        list.appendChild(li);
      });
      active = -1;
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
    }

    function highlight(i) {
      var options = list.children;
      if (active >= 0 && options[active]) options[active].classList.remove("on");
      active = i;
      if (active >= 0 && options[active]) {
        options[active].classList.add("on");
        input.setAttribute("aria-activedescendant", options[active].id);
      }
    }

    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (!q) { show([]); return; }
      fetch("/api/suggest?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) { if (input.value.trim() === q) show(found); })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (e) {
      if (list.hidden || !items.length) return;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        highlight((active + 1) % items.length);
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (e.key === "Enter" && active >= 0) {
        // Enter on a highlighted law opens it; otherwise the form searches as usual.
        e.preventDefault();
        window.location.href = "/laws/" + items[active].law_id;
      } else if (e.key === "Escape") {
        close();
      }
    });
    if (input.form) {
      // Searching leaves the page: no suggestion request should start on the way out.
      input.form.addEventListener("submit", function () { clearTimeout(timer); });
    }
    input.addEventListener("blur", function () {
      // Late enough for a tap on a suggestion to follow its link.
      setTimeout(close, 200);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
