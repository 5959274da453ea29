from django.utils import timezone
from ninja.security import HttpBearer

from partenariats.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; a revoked token, or one of a deactivated user, is refused."""

    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.usable().select_related("user").filter(key_hash=ApiToken.hash_key(token)).first()
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user
