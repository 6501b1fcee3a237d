"""The one step kit: a matter's action pages, its API action and its CLI action.

A ``Step`` is one action staff take on a matter through a form: where its page
lives, the form, the title, the service it calls and what to say when it is done.
A module lists its steps in a dict and mounts them with ``StepPages``: one page
per step (GET shows the form, POST takes the step), the same form and service for
the API (``StepPages.api_view``) and the command line (``StepPages.take``), so no
path goes around a check another keeps.

Every path runs ``StepPages.take``: the person must be an active member of the
matter's own bureau holding one of the step's roles; the form is bound and
validated; the service runs; a service's refusal lands on the form (by field
where the form has one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.permissions import HasRole, require_role, require_roles
from fazhi.core.roles import BUSINESS_ROLES
from fazhi.ui.forms import add_service_errors


def _no_kwargs(matter, actor) -> dict:
    return {}


def service(fn: Callable[..., Any], matter: str,
            fields: Iterable[str] | Mapping[str, str] | None = None
            ) -> Callable[[Any, Any, dict], Any]:
    """A step's ``call`` handing the form to a service by keyword:
    ``fn(<matter>=the matter, actor=the person, **the form's fields)``.

    ``fields`` keeps only the named form fields (a confirmation box is not the
    service's business); a mapping also renames them to the service's keywords
    (``{"on": "served_on"}``).
    """
    names = None if fields is None else (
        dict(fields) if isinstance(fields, Mapping) else {f: f for f in fields})

    def call(obj, actor, data: dict):
        args = dict(data) if names is None else {
            keyword: data[name] for name, keyword in names.items()}
        return fn(**{matter: obj}, actor=actor, **args)

    return call


@dataclass(frozen=True)
class Step:
    """One action on a matter: its page, form, service call and message.

    ``form`` is a form class or any factory called as ``form(data, files,
    **form_kwargs(matter, actor))``. ``call(matter, actor, cleaned_data)`` calls
    the service (``service`` builds it for a service taking the form's fields).
    ``title`` and ``done`` may be text or functions of the matter (title) and of
    what the service returned (done).
    """

    path: str
    form: Callable[..., Any]
    title: str | Callable[[Any], str]
    call: Callable[[Any, Any, dict], Any]
    done: str | Callable[[Any], str]
    # The roles that may take it; or a function of the matter giving them, when
    # the rule data names the role (a chain of sign-offs a bureau may change).
    roles: tuple[str, ...] | Callable[[Any], Iterable[str]]
    multipart: bool = False
    form_kwargs: Callable[[Any, Any], dict] = _no_kwargs
    template: str = ""  # another page template than the module's

    def heading(self, matter) -> str:
        """The page title for ``matter``."""
        return self.title(matter) if callable(self.title) else self.title

    def message(self, result) -> str:
        """What the page says once the service returned ``result``."""
        return self.done(result) if callable(self.done) else self.done

    def roles_for(self, matter) -> tuple[str, ...]:
        """The roles that may take the step on ``matter``."""
        return tuple(self.roles(matter) if callable(self.roles) else self.roles)

    def bind(self, matter, actor, data=None, files=None):
        """The step's form for ``matter``, bound to ``data`` when given."""
        return self.form(data, files, **self.form_kwargs(matter, actor))


@dataclass
class Outcome:
    """What taking a step came to: the form (with any refusal on it) and the result."""

    form: Any
    result: Any = None
    ok: bool = False
    denied: str = ""  # why this person may not act (403, not 400)

    def messages(self) -> list[str]:
        """Every refusal, as staff read them."""
        if self.denied:
            return [self.denied]
        return [m for errors in self.form.errors.values() for m in errors]


@dataclass(frozen=True)
class StepPages:
    """A matter's steps and how they are reached.

    ``get(actor, pk)`` is the module's scoped selector (404 outside the person's
    subtree); ``back(matter)`` the record the page returns to (its
    ``get_absolute_url``), whose bureau decides who may act; ``template`` the
    form page, rendered with ``form``, ``title``, ``multipart`` and the record
    under ``context_name``; ``context(name, matter)`` adds to it. Page URLs are
    ``prefix + step.path``, named ``url_name.format(name)``.
    """

    steps: Mapping[str, Step]
    get: Callable[[Any, int], Any]
    template: str
    prefix: str = "<int:pk>/"
    url_name: str = "{}"
    context_name: str = "obj"
    back: Callable[[Any], Any] = field(default=lambda matter: matter)
    context: Callable[[str, Any], dict] | None = None

    def allow(self, name: str, matter, actor) -> None:
        """Raise PermissionDenied unless ``actor`` may take step ``name`` on
        ``matter``: an active member of its own bureau holding one of the roles."""
        step = self.steps[name]
        require_role(actor, self.back(matter), *step.roles_for(matter),
                     what=f"办理“{step.heading(matter)}”")

    def take(self, name: str, matter, actor, data, files=None) -> Outcome:
        """Take step ``name`` as ``actor`` with the form fields ``data``.

        Pages, the API and the command line all come here.
        """
        step = self.steps[name]
        form = step.bind(matter, actor, data, files)
        try:
            self.allow(name, matter, actor)
            if not form.is_valid():
                return Outcome(form)
            result = step.call(matter, actor, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return Outcome(form)
        except PermissionDenied as exc:
            return Outcome(form, denied=str(exc) or "无权办理此事项")
        return Outcome(form, result, ok=True)

    def view(self, name: str):
        """The page of step ``name``: GET shows the form, POST takes the step."""
        step = self.steps[name]

        # Roles read from the matter are checked once it is read (``allow``);
        # before that, only staff of a business role may look it up at all.
        @require_roles(*(BUSINESS_ROLES if callable(step.roles) else step.roles))
        def view(request, pk: int):
            matter = self.get(request.user, pk)
            self.allow(name, matter, request.user)
            if request.method != "POST":
                form = step.bind(matter, request.user)
            else:
                outcome = self.take(name, matter, request.user, request.POST,
                                    request.FILES)
                if outcome.ok:
                    messages.success(request, step.message(outcome.result))
                    return redirect(self.back(matter))
                form = outcome.form
                if outcome.denied:  # by the service, on what it read of the matter
                    form.add_error(None, outcome.denied)
            return render(request, step.template or self.template, {
                "form": form, "title": step.heading(matter),
                "multipart": step.multipart, self.context_name: self.back(matter),
                **(self.context(name, matter) if self.context else {})})

        view.__name__ = f"{name}_view"
        return view

    def urls(self) -> list:
        """One URL pattern per step; a step listed under two names is mounted once,
        under the first."""
        mounted, patterns = set(), []
        for name, step in self.steps.items():
            if id(step) not in mounted:
                mounted.add(id(step))
                patterns.append(path(self.prefix + step.path, self.view(name),
                                     name=self.url_name.format(name)))
        return patterns

    def api_view(self, name: str, *, roles: tuple[str, ...],
                 show: Callable[[Any], Any], hidden: tuple[str, ...] = ()
                 ) -> type[APIView]:
        """An API view (class ``name``) taking any step by name — POST the form's
        fields: ``show(matter)`` is the answer, a refusal is 400 or 403."""
        pages = self

        class StepAction(APIView):
            permission_classes = [HasRole(*roles)]

            def post(self, request, pk: int, action: str):
                if action not in pages.steps or action in hidden:
                    return Response({"detail": "未知的操作"},
                                    status=status.HTTP_404_NOT_FOUND)
                matter = pages.get(request.user, pk)
                outcome = pages.take(action, matter, request.user, request.data)
                if outcome.denied:
                    return Response({"detail": outcome.messages()},
                                    status=status.HTTP_403_FORBIDDEN)
                if not outcome.ok:
                    return Response(outcome.form.errors,
                                    status=status.HTTP_400_BAD_REQUEST)
                matter.refresh_from_db()
                return Response(show(matter))

        StepAction.__name__ = StepAction.__qualname__ = name
        return StepAction
