"""The life of an order after payment, in Oscar's own terms: status pipelines,
shipping and payment events, dispatch with carriers, cancellation and refunds by
line. One service (lifecycle.py) is the gate every status change goes through."""
