from django.apps import AppConfig


class ProfileConfig(AppConfig):
    # The folder is profiles/ because a top-level "profile" package would shadow
    # the standard library's profile module; the label stays "profile".
    name = "profiles"
    label = "profile"
    verbose_name = "Profile"
    default_auto_field = "django.db.models.BigAutoField"
    # Shown on public pages: edits invalidate the page cache (core.registry).
    public_models = ["Profile", "SocialLink"]
