"""Shared pieces of the open data API: pagination with Link headers, CSV output, licence,
bad query parameters as 400s."""

from __future__ import annotations

import csv
import io

from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from lab.lib.inputs import InvalidInput

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab); https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


class LinkHeaderPagination(PageNumberPagination):
    """Pages with a total count in the body and RFC 8288 Link headers."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_schema_operation_parameters(self, view):
        """The schema states the bounds, so generated requests (schemathesis) probe them."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters

    def get_paginated_response(self, data):
        links = []
        if (url := self.get_next_link()) is not None:
            links.append(f'<{url}>; rel="next"')
        if (url := self.get_previous_link()) is not None:
            links.append(f'<{url}>; rel="prev"')
        headers = {"Link": ", ".join(links)} if links else {}
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            },
            headers=headers,
        )


class CSVRenderer(BaseRenderer):
    """Flat rows as UTF-8 CSV with one header row (nested values joined with |)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if isinstance(data, dict):
            data = [data]
        rows = list(data or [])
        if rows and isinstance(rows[0], dict):
            columns = list(rows[0].keys())
        else:
            # No rows (or an error): still one header row, from the view's serializer when there is one.
            view = (renderer_context or {}).get("view")
            columns = (
                list(view.get_serializer().fields)
                if view is not None and hasattr(view, "get_serializer")
                else ["detail"]
            )
            rows = [row for row in rows if isinstance(row, dict)]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_flat(row.get(column)) for column in columns])
        return out.getvalue().encode("utf-8")


def _flat(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_flat(item) for item in value)
    if isinstance(value, dict):
        return str(value.get("slug") or value.get("name") or value.get("id") or "")
    return str(value)


class LicenceHeaderMixin:
    """Every open data response states its licence."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Licence"] = LICENCE
        return response


def search_parameter(what: str) -> OpenApiParameter:
    """`q` as the API documents it: full text, bounded; blank or only spaces searches nothing."""
    return OpenApiParameter(
        "q",
        {"type": "string", "maxLength": 200},
        description=f"Full-text search in {what} (French stemming, accents ignored, "
        '"quotes", -word and "or" understood); blank or only spaces: no search.',
    )


def year_parameter(earliest: int, latest: int, what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "year",
        {"type": "integer", "minimum": earliest, "maximum": latest},
        description=what,
    )


class InvalidQuery(APIException):
    """A 400 whose body is {"detail": "…"}: what was wrong with a query parameter."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Paramètre invalide."
    default_code = "invalid"


class InvalidInputMixin:
    """A parser's InvalidInput (lab/lib/inputs.py) answers a DRF 400 with its message as
    `detail`, in the API's format, instead of the site's HTML 400 page."""

    def handle_exception(self, exc):
        if isinstance(exc, InvalidInput):
            exc = InvalidQuery(exc.message)
        return super().handle_exception(exc)
