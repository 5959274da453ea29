from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware

# Paths that authenticate on their own (token in a header or in the URL) and answer in
# their own format: the login middleware must not redirect them to the login page.
SELF_AUTHENTICATED_PREFIXES = ("/api/",)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page is private unless its view is marked ``@login_not_required``."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(SELF_AUTHENTICATED_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
