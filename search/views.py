"""Catalogue and category listings and the site search page: one search behind all."""

from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView
from oscar.core.loading import get_model

from shop.catalogue.tiles import product_tiles

from .forms import ProductSearchForm, SiteSearchForm
from .hot_searches import hot_search_record, hot_searches
from .selectors import product_listing
from .site_search import site_search, suggestions

Category = get_model("catalogue", "Category")


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    category = None

    def get(self, request, *args, **kwargs):
        self.form = ProductSearchForm(request.GET)
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("The given page number was invalid."))
            return redirect(request.path)

    def get_queryset(self):
        params = self.form.search_params()
        if not params["query"]:
            return product_listing(category=self.category, sort=params["sort"])
        # With words to match, browsing asks the site's one search.
        ids = site_search(
            query=params["query"],
            category=self.category,
            sort=params["sort"] or "relevance",
            record_hit=False,
        ).products
        return product_listing(ids=ids)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = context["search_form"] = self.form
        context["page"] = context["page_obj"]
        # One batch prices the page's tiles, offers included, as on campaign pages.
        products = list(context["products"])
        tiles = product_tiles(
            product_ids=[p.pk for p in products], request=self.request
        )
        context["tiles"] = [tiles[p.pk] for p in products if p.pk in tiles]
        return context


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=_("All products"), **kwargs)


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected_path = self.category.get_absolute_url()
        if unquote(expected_path) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected_path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            category=self.category, summary=self.category.name, **kwargs
        )


class SiteSearchView(TemplateView):
    """Products (as live tiles) and pages for one query, with filters and sorting."""

    template_name = "search/results.html"
    per_page = 24

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SiteSearchForm(self.request.GET)
        outcome = site_search(**form.search_kwargs())
        if outcome.products or outcome.pages:
            hot_search_record(query=outcome.query, session_key=self._session_key())
        page = Paginator(outcome.products, self.per_page).get_page(
            self.request.GET.get("page")
        )
        tiles = product_tiles(product_ids=list(page), request=self.request)
        context.update(
            form=form,
            search_form=form,
            outcome=outcome,
            query=outcome.query,
            page_obj=page,
            tiles=[tiles[pk] for pk in page if pk in tiles],
            hot_searches=hot_searches(),
        )
        return context

    def _session_key(self) -> str:
        session = self.request.session
        if not session.session_key:
            # A first-time searcher gets a session (and its cookie) so that searching
            # again counts as the same searcher, not a new one.
            session.save()
            session.modified = True
        return session.session_key


class SuggestView(View):
    """JSON for the header box's search-as-you-type."""

    def get(self, request):
        return JsonResponse(suggestions(query=request.GET.get("q", "")))
