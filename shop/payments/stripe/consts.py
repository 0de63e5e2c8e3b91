# How the gateway names itself on Oscar's payment sources.
GATEWAY_NAME = "Stripe"

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
