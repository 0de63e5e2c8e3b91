from celery import shared_task

from .indexing import product_index_refresh


@shared_task(ignore_result=True)
def refresh_product_index(product_ids: list[int]) -> int:
    """Safe to run twice: it recomputes from the database each time."""
    return product_index_refresh(product_ids=product_ids)
