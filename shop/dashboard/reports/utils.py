from oscar.apps.dashboard.reports import utils as oscar_utils
from oscar.apps.dashboard.reports.utils import *  # noqa: F403  Oscar's fork convention

from shop.fulfilment.reports import SalesReportGenerator


class GeneratorRepository(oscar_utils.GeneratorRepository):
    generators = [SalesReportGenerator, *oscar_utils.GeneratorRepository.generators]
