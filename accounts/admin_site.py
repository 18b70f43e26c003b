"""The editor's admin site: Django's, with a throttled two-step login and two-factor setup.

The editor's start page (editor.sites.EditorSite) builds on this class; that
one is installed as the default admin site, so `admin.site` and every
`@admin.register` keep working unchanged.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from . import throttle, two_factor
from .forms import CodeForm, EditorLoginForm


class EditorLoginView(LoginView):
    """Password first; an account with an authenticator then gives a code."""

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.is_enabled(user):
            two_factor.start_pending(self.request, user, self.get_success_url())
            return redirect("admin:two-factor-verify")
        response = super().form_valid(form)
        return _logged_in(response, user)


def _logged_in(response, user):
    throttle.reset(user.get_username())
    throttle.remember_device(response, user)
    return response


class EditorAdminSite(admin.AdminSite):
    login_form = EditorLoginForm

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.REQUIRE_2FA or request.user.is_verified()

    def _needs_setup(self, request):
        user = request.user
        return (
            settings.REQUIRE_2FA
            and user.is_active
            and user.is_staff
            and not user.is_verified()
            and not two_factor.is_enabled(user)
        )

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        if request.method == "GET" and self._needs_setup(request):
            return redirect("admin:two-factor")
        if request.method == "GET" and self.has_permission(request):
            return redirect("admin:index")
        context = {
            **self.each_context(request),
            "title": "Log in",
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=self.name)
        context.update(extra_context or {})
        request.current_app = self.name
        return EditorLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form,
            template_name="admin/login.html",
        )(request)

    def get_urls(self):
        return [
            path("login/verify/", self.verify_view, name="two-factor-verify"),
            path("two-factor/", self.two_factor_view, name="two-factor"),
            *super().get_urls(),
        ]

    def _page(self, request, template, **context):
        request.current_app = self.name
        return TemplateResponse(
            request, template, {**self.each_context(request), "subtitle": None, **context}
        )

    @method_decorator(sensitive_post_parameters())
    @method_decorator(csrf_protect)
    @method_decorator(never_cache)
    def verify_view(self, request):
        """Second step of a login: a code from the app, or a recovery code."""
        user, state = two_factor.pending(request)
        if user is None:
            messages.info(request, "Log in again: the login took too long.")
            return redirect("admin:login")
        form = CodeForm(request.POST or None)
        if form.is_valid():
            device, error = two_factor.check_code(user, form.cleaned_data["code"])
            if device is not None:
                request.session.pop(two_factor.PENDING_KEY, None)
                auth_login(request, user)
                otp_login(request, device)
                if device.persistent_id.startswith("otp_static"):
                    left = device.token_set.count()
                    messages.warning(
                        request,
                        f"You used a recovery code; {left} left. "
                        "Make new ones under “Two-factor login”.",
                    )
                return _logged_in(redirect(state["next"]), user)
            throttle.record_failure(user.get_username())
            state["tries"] += 1
            if state["tries"] >= two_factor.PENDING_ATTEMPTS:
                request.session.pop(two_factor.PENDING_KEY, None)
                messages.error(request, "Too many wrong codes: log in again.")
                return redirect("admin:login")
            request.session[two_factor.PENDING_KEY] = state
            form.add_error("code", error)
        return self._page(request, "accounts/verify.html", form=form, title="Two-factor login")

    @method_decorator(sensitive_post_parameters())
    @method_decorator(csrf_protect)
    @method_decorator(never_cache)
    def two_factor_view(self, request):
        """Turn two-factor login on (scan, confirm a code, get recovery codes) or off."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        action = request.POST.get("action")
        form = CodeForm(request.POST if action in ("confirm", "off") else None)
        context = {"title": "Two-factor login", "form": form, "required": settings.REQUIRE_2FA}
        if two_factor.is_enabled(user):
            if action == "recovery" and user.is_verified():
                context["codes"] = two_factor.new_recovery_codes(user)
            elif action == "off" and not settings.REQUIRE_2FA and form.is_valid():
                device, error = two_factor.check_code(user, form.cleaned_data["code"])
                if device is not None:
                    two_factor.turn_off(user)
                    messages.success(request, "Two-factor login is off for your account.")
                    return redirect("admin:two-factor")
                form.add_error("code", error)
            context["enabled"] = True
            return self._page(request, "accounts/two_factor.html", **context)

        device = two_factor.new_authenticator(user)
        if action == "confirm" and form.is_valid():
            code = "".join(form.cleaned_data["code"].split())
            if device.verify_token(code):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                context.update(enabled=True, just_enabled=True)
                context["codes"] = two_factor.new_recovery_codes(user)
                return self._page(request, "accounts/two_factor.html", **context)
            form.add_error("code", "That code is not right: check the app's clock and try again.")
        context.update(qr=two_factor.qr_svg(device), secret=two_factor.secret_text(device))
        return self._page(request, "accounts/two_factor.html", **context)
