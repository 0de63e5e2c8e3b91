/* First-party tile impressions and clicks (insights/beacon.py). Sent with
   navigator.sendBeacon to this site only; nothing when the browser asks not to
   be tracked. */
(function () {
  "use strict";
  if (!navigator.sendBeacon || navigator.doNotTrack === "1" || navigator.globalPrivacyControl) return;
  var url = document.currentScript && document.currentScript.dataset.beaconUrl;
  if (!url) return;

  function tileOf(form) {
    var block = form.querySelector("input[name=attribution_block]");
    var page = form.querySelector("input[name=attribution_page]");
    var product = (form.getAttribute("action").match(/\/(\d+)\/?$/) || [])[1];
    if (!block || !page || !product) return null;
    return { page: +page.value, block: block.value, product: +product };
  }

  var seen = {}, pending = [];
  function send(kind, tiles) {
    if (!tiles.length) return;
    var body = JSON.stringify({ kind: kind, page: tiles[0].page, tiles: tiles.map(function (t) {
      return [t.block, t.product];
    }) });
    navigator.sendBeacon(url, new Blob([body], { type: "application/json" }));
  }
  function flush() { send("impression", pending.splice(0)); }

  var forms = document.querySelectorAll("form[data-basket-add]");
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var tile = entry.target.tile, key = tile.block + ":" + tile.product;
        if (seen[key]) return;
        seen[key] = true;
        pending.push(tile);
        observer.unobserve(entry.target);
      });
    }, { threshold: 0.5 });
    forms.forEach(function (form) {
      var tile = tileOf(form), card = form.closest(".tile, .spotlight") || form;
      if (!tile) return;
      card.tile = tile;
      observer.observe(card);
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".tile a, .spotlight a");
    var form = link && link.closest(".tile, .spotlight");
    form = form && form.querySelector("form[data-basket-add]");
    var tile = form && tileOf(form);
    if (tile) send("click", [tile]);
  });
})();
