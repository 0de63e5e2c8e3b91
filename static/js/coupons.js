/* Coupon centre blocks on cached pages: each shopper's own state and progress.
   Progressive enhancement only: Claim is a form post that works without this. */
(function () {
  "use strict";
  if (window.mallardCoupons) return;  // one copy however many blocks include it
  window.mallardCoupons = true;

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  function showStates(section) {
    var cards = section.querySelectorAll("[data-coupon]");
    var ids = Array.prototype.map.call(cards, function (card) { return card.dataset.coupon; });
    if (!ids.length) return;
    fetch(section.dataset.couponStateUrl + "?ids=" + ids.join(","), {
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) return;
      cards.forEach(function (card) {
        var state = data.coupons[card.dataset.coupon];
        var button = card.querySelector("[data-coupon-button]");
        if (!state || !button) return;
        button.firstChild.textContent = state.label;  // keeps the hidden coupon name
        button.disabled = !state.can_claim;
        card.className = card.className.replace(/coupon--\S+/, "coupon--" + state.state);
      });
    }).catch(function () {});
  }

  function showProgress(section) {
    fetch(section.dataset.progressUrl, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (html === null) return;
      if (!html.trim()) { section.hidden = true; return; }
      section.querySelector("[data-progress-body]").innerHTML = html;  // our own fragment
    }).catch(function () {});
  }

  ready(function () {
    if (!window.fetch) return;
    document.querySelectorAll("[data-coupon-state-url]").forEach(showStates);
    document.querySelectorAll("[data-progress-url]").forEach(showProgress);
  });
})();
