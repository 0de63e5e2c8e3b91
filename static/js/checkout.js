/* The pay step: Stripe.js tokenises the card in the browser; the server charges the
   intent it created for the basket's total. 3-D Secure finishes here too. */
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || !window.Stripe) return;
  // Stripe.js writes its own messages and card field in the page's language; ours
  // come translated in the form's data attributes.
  var stripe = window.Stripe(form.dataset.stripeKey, { locale: form.dataset.locale });
  var errors = document.getElementById("card-errors");
  var button = document.getElementById("pay-button");

  function returnTo(intentId) {
    var url = new URL(form.dataset.returnUrl);
    url.searchParams.set("payment_intent", intentId);
    window.location.assign(url.toString());
  }

  if (form.hasAttribute("data-requires-action")) {
    button.disabled = true;
    stripe.confirmCardPayment(form.dataset.clientSecret).then(function (result) {
      if (result.error) {
        errors.textContent = result.error.message || form.dataset.authFailed;
        button.disabled = false;
      } else {
        returnTo(form.dataset.intent);
      }
    });
  }

  // Wallets confirm in Stripe.js (a QR code for WeChat Pay, a redirect for Alipay)
  // and come back through the return view, which places the order.
  var confirmers = { wechat_pay: "confirmWechatPayPayment", alipay: "confirmAlipayPayment" };
  document.querySelectorAll("[data-wallet]").forEach(function (walletButton) {
    walletButton.addEventListener("click", function () {
      var confirm = stripe[confirmers[walletButton.dataset.wallet]];
      if (!confirm) {
        errors.textContent = form.dataset.unavailable;
        return;
      }
      var options = { return_url: form.dataset.returnUrl };
      if (walletButton.dataset.wallet === "wechat_pay") {
        options.payment_method_options = { wechat_pay: { client: "web" } };
      }
      confirm.call(stripe, form.dataset.clientSecret, options).then(function (result) {
        if (result && result.error) {
          errors.textContent = result.error.message || form.dataset.notThrough;
        } else {
          returnTo(form.dataset.intent);
        }
      });
    });
  });

  var card = stripe.elements().create("card");
  card.mount("#card-element");

  form.addEventListener("submit", function (event) {
    if (document.getElementById("stripe-token").value) return;
    event.preventDefault();
    button.disabled = true;
    stripe.createToken(card).then(function (result) {
      if (result.error) {
        errors.textContent = result.error.message || form.dataset.checkCard;
        button.disabled = false;
        return;
      }
      document.getElementById("stripe-token").value = result.token.id;
      form.submit();
    });
  });
})();
