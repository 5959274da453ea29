from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer

from partenariats.accounts.models import ApiToken

# How precisely a token's last use is kept: a client calling every second writes it once a minute.
LAST_USE_PRECISION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; a revoked token, or one of a deactivated user, is refused."""

    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.usable().select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if api_token is None:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USE_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user
