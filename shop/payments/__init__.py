"""Payment gateways behind one small interface (interface.py). Stripe is the first;
direct WeChat Pay and Alipay gateways can follow with the same shape."""
