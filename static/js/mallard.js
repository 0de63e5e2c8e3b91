/* Mallard: progressive enhancement only. Every action works without this file. */
(function () {
  "use strict";

  function announce(text) {
    var region = document.querySelector("[data-announce]");
    if (!region) return;
    region.textContent = text;
    region.hidden = false;
    clearTimeout(announce.timer);
    announce.timer = setTimeout(function () { region.hidden = true; }, 3000);
  }

  // Add to basket without leaving the page; fall back to a normal post on failure.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-basket-add]");
    if (!form || !window.fetch) return;
    event.preventDefault();
    var button = form.querySelector("[type=submit]");
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (result.ok && typeof result.data.num_items === "number") {
        document.querySelectorAll("[data-basket-count]").forEach(function (badge) {
          badge.textContent = result.data.num_items;
        });
      }
      announce((result.data.messages || []).join(" "));
    }).catch(function () {
      form.submit();
    }).finally(function () {
      if (button) button.disabled = false;
    });
  });

  // Copy a voucher code.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        announce(button.dataset.copied);
      });
    });
  });

  // Search as you type: product and page titles from the suggestions endpoint.
  var searchForm = document.querySelector("[data-suggest-url]");
  if (searchForm && window.fetch) {
    var input = searchForm.querySelector("input[type=search]");
    var list = searchForm.querySelector("[role=listbox]");
    var timer, latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value.trim();
        var ticket = ++latest;
        if (query.length < 2) { list.hidden = true; return; }
        fetch(searchForm.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" }
        }).then(function (response) { return response.json(); }).then(function (data) {
          if (ticket !== latest) return;  // a newer keystroke answered already
          list.textContent = "";
          data.products.concat(data.pages).forEach(function (item) {
            var option = document.createElement("li");
            var link = document.createElement("a");
            link.href = item.url;
            link.textContent = item.title + (item.price ? " · " + item.price : "");
            option.setAttribute("role", "option");
            option.appendChild(link);
            list.appendChild(option);
          });
          list.hidden = !list.children.length;
        }).catch(function () { list.hidden = true; });
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") list.hidden = true;
    });
  }

  // Countdowns tick once a second; the server-rendered end time stays as a fallback.
  // A preview of a later moment counts down as the page will then. Under a day it
  // is a clock; beyond, the page's language names the units (data-days-format,
  // e.g. "{days}天 {hours}时 {minutes}分").
  var countdowns = document.querySelectorAll("[data-countdown]");
  var shownAt = Date.parse(document.documentElement.dataset.previewAt || "");
  var clockOffset = isNaN(shownAt) ? 0 : shownAt - Date.now();
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var now = Date.now() + clockOffset;
    countdowns.forEach(function (element) {
      // Rounded up: "ended" only once the moment has come, not a second before.
      var left = Math.ceil((Date.parse(element.dataset.countdown) - now) / 1000);
      if (isNaN(left)) return;
      if (left <= 0) {
        element.textContent = element.dataset.endedText || "";
        return;
      }
      var days = Math.floor(left / 86400);
      var hours = Math.floor(left / 3600) % 24, minutes = Math.floor(left / 60) % 60;
      var format = element.dataset.daysFormat;
      if (days && format) {
        var parts = { days: days, hours: hours, minutes: minutes };
        element.textContent = format.replace(/\{(\w+)\}/g, function (all, name) {
          return name in parts ? String(parts[name]) : all;
        });
      } else {
        element.textContent = pad(days * 24 + hours) + ":" + pad(minutes) + ":" + pad(left % 60);
      }
    });
  }
  if (countdowns.length) { tick(); setInterval(tick, 1000); }
  // China-style address: picking a province fills the city list, a city the
  // district list (without this, a "show cities" button reloads the form). A
  // choice still in the new list is kept, and only the latest answer for a list
  // counts (a slower, older one would undo the shopper's pick).
  function regionOptions(select, names) {
    var chosen = select.value;
    var empty = select.options[0];
    select.textContent = "";
    select.appendChild(empty);
    names.forEach(function (name) { select.appendChild(new Option(name, name)); });
    select.value = names.indexOf(chosen) >= 0 ? chosen : "";
  }
  document.querySelectorAll("select[data-region]").forEach(function (select) {
    if (!window.fetch) return;
    var form = select.form;
    form.querySelectorAll(".region-refresh").forEach(function (button) { button.remove(); });
    if (select.dataset.region === "district") return;
    var asked = 0;
    select.addEventListener("change", function () {
      var province = form.querySelector("select[data-region=province]");
      var city = form.querySelector("select[data-region=city]");
      var district = form.querySelector("select[data-region=district]");
      var query = "?province=" + encodeURIComponent(province.value);
      if (select === city) query += "&city=" + encodeURIComponent(city.value);
      var ask = ++asked;
      fetch(select.dataset.regionsUrl + query, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (ask !== asked) return;
          if (data.cities) {
            var before = city.value;
            regionOptions(city, data.cities);
            // A municipality's only "city" is itself: choose it for the shopper.
            if (data.cities.length === 1) city.value = data.cities[0];
            if (city.value !== before || !city.value) regionOptions(district, []);
            if (city.value && city.value !== before) city.dispatchEvent(new Event("change"));
          } else {
            regionOptions(district, data.districts);
          }
        });
    });
  });
})();
