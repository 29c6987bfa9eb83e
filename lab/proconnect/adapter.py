"""allauth's social account adapter: a refused ProConnect sign-in says why, in French."""

from __future__ import annotations

import logging

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lab.proconnect.errors import ProConnectError, ProviderUnavailable

logger = logging.getLogger(__name__)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """Back to where the person started, with a sentence instead of allauth's error page.

        Covers a state unknown to this session (replayed, expired, forged), an error sent by
        the provider, and every refusal of views.py (signature, issuer, nonce, address).
        """
        if getattr(provider, "id", None) != "proconnect":
            return super().on_authentication_error(
                request, provider, error=error, exception=exception, extra_context=extra_context
            )
        logger.warning("ProConnect sign-in refused: %s %r", error, exception)
        if error == AuthError.CANCELLED:
            messages.info(request, _("Identification avec ProConnect annulée."))
        elif isinstance(exception, ProConnectError):
            messages.error(request, exception.message)
        elif isinstance(exception, requests.RequestException):
            messages.error(request, ProviderUnavailable.message)
        else:
            messages.error(request, ProConnectError.message)
        linking = request.user.is_authenticated
        raise ImmediateHttpResponse(
            redirect("socialaccount_connections" if linking else "account_login")
        )
