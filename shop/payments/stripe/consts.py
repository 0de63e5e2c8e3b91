# How the gateway names itself: in settings, webhook URLs and stored payments.
GATEWAY_NAME = "stripe"
# How Oscar's payment sources name it (the dashboard shows it).
DISPLAY_NAME = "Stripe"
# The pay form's hidden field that carries the token Stripe.js made from the card.
TOKEN_FIELD = "stripe_token"

# Wallets Stripe offers as payment method types, and the currencies each settles in.
WALLET_CURRENCIES = {
    "wechat_pay": {
        "CNY",
        "AUD",
        "CAD",
        "EUR",
        "GBP",
        "HKD",
        "JPY",
        "SGD",
        "USD",
        "DKK",
        "NOK",
        "SEK",
        "CHF",
    },
    "alipay": {
        "CNY",
        "AUD",
        "CAD",
        "EUR",
        "GBP",
        "HKD",
        "JPY",
        "SGD",
        "MYR",
        "NZD",
        "USD",
    },
}
