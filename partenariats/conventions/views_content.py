"""A convention's content edited from its page: articles (a tree) and commitments.

Every change goes through ``services`` (one transaction, the history with its user, the
convention's version bumped so that edit forms opened before go stale, the terms recomputed)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partenariats.conventions import services
from partenariats.conventions.forms_content import ArticleForm, CommitmentForm
from partenariats.conventions.models import Article, Commitment, Convention
from partenariats.conventions.services import ActionRefused
from partenariats.conventions.views_edit import convention_crumbs, editable_convention


def _back(convention: Convention, anchor: str) -> str:
    return f"{convention.get_absolute_url()}#{anchor}"


def _form_page(request: HttpRequest, convention: Convention, form, *, title: str, template: str, anchor: str):
    return render(
        request,
        template,
        {
            "title": title,
            "convention": convention,
            "form": form,
            "cancel_url": _back(convention, anchor),
            "breadcrumb_data": convention_crumbs(convention, title),
        },
    )


# --- Articles -------------------------------------------------------------------------------------


def _article_page(request: HttpRequest, convention: Convention, article: Article, title: str) -> HttpResponse:
    form = ArticleForm(request.POST or None, instance=article, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_article(form.instance, by_user=request.user)
        except ActionRefused as refused:
            form.add_error("parent", str(refused))
        else:
            messages.success(request, f"« {saved} » a été enregistré.")
            return redirect(_back(convention, "articles"))
    return _form_page(
        request, convention, form, title=title, template="conventions/edit/article_form.html", anchor="articles"
    )


def article_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    return _article_page(request, convention, Article(convention=convention), "Ajouter un article")


def article_update(request: HttpRequest, pk: int, article_pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    article = get_object_or_404(convention.articles, pk=article_pk)
    return _article_page(request, convention, article, f"Modifier « {article} »")


@require_POST
def article_move(request: HttpRequest, pk: int, article_pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    article = get_object_or_404(convention.articles, pk=article_pk)
    up = request.POST.get("direction") != "down"
    if services.move_article(article, up=up, by_user=request.user):
        messages.success(request, f"« {article} » a été {'monté' if up else 'descendu'}.")
    else:
        messages.info(request, f"« {article} » est déjà {'le premier' if up else 'le dernier'} à son niveau.")
    return redirect(_back(convention, f"article-{article.pk}"))


def article_delete(request: HttpRequest, pk: int, article_pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    article = get_object_or_404(convention.articles, pk=article_pk)
    title = f"Supprimer « {article} »"
    context = {
        "title": title,
        "convention": convention,
        "subject": str(article),
        "details": "Ses sous-articles éventuels seront supprimés avec lui. La suppression reste dans l’historique.",
        "reason": services.article_deletion_refusal(article),
        "cancel_url": _back(convention, "articles"),
        "breadcrumb_data": convention_crumbs(convention, "Supprimer un article"),
    }
    if request.method == "POST":
        try:
            services.delete_article(article, by_user=request.user)
        except ActionRefused as refused:
            context["reason"] = str(refused)
            return render(request, "conventions/edit/content_confirm_delete.html", context, status=403)
        messages.success(request, f"« {context['subject']} » a été supprimé.")
        return redirect(_back(convention, "articles"))
    return render(request, "conventions/edit/content_confirm_delete.html", context)


# --- Commitments ----------------------------------------------------------------------------------


def _commitment_page(request: HttpRequest, convention: Convention, commitment: Commitment, title: str):
    form = CommitmentForm(request.POST or None, instance=commitment, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_commitment(
                form.instance,
                audiences=form.cleaned_data["audiences"],
                programmes=form.cleaned_data["programmes"],
                by_user=request.user,
            )
        except ActionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "L’engagement a été enregistré.")
            return redirect(_back(convention, "engagements"))
    return _form_page(
        request, convention, form, title=title, template="conventions/edit/commitment_form.html", anchor="engagements"
    )


def commitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    return _commitment_page(request, convention, Commitment(convention=convention), "Ajouter un engagement")


def commitment_update(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    commitment = get_object_or_404(convention.commitments, pk=commitment_pk)
    return _commitment_page(request, convention, commitment, "Modifier un engagement")


def commitment_delete(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    convention = editable_convention(request, pk)
    commitment = get_object_or_404(convention.commitments.select_related("party__organisation"), pk=commitment_pk)
    context = {
        "title": "Supprimer un engagement",
        "convention": convention,
        "subject": f"{commitment.party} : {commitment}",
        "details": "La suppression reste dans l’historique de la convention.",
        "reason": services.commitment_deletion_refusal(commitment),
        "cancel_url": _back(convention, "engagements"),
        "breadcrumb_data": convention_crumbs(convention, "Supprimer un engagement"),
    }
    if request.method == "POST":
        try:
            services.delete_commitment(commitment, by_user=request.user)
        except ActionRefused as refused:
            context["reason"] = str(refused)
            return render(request, "conventions/edit/content_confirm_delete.html", context, status=403)
        messages.success(request, "L’engagement a été supprimé.")
        return redirect(_back(convention, "engagements"))
    return render(request, "conventions/edit/content_confirm_delete.html", context)
