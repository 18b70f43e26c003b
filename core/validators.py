"""URL validators shared by every model that stores a link.

Model-level validators make a bad scheme a form error in the admin and a
ValidationError in imports, rather than something templates must catch.
"""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter a full web address starting with http:// or https://."
)
_validate_email = EmailValidator()


def validate_link_url(value):
    """A web address, or mailto: followed by an email address."""
    if value.lower().startswith("mailto:"):
        address = value[len("mailto:") :].split("?", 1)[0]
        try:
            _validate_email(address)
        except ValidationError:
            raise ValidationError(
                "Enter mailto: followed by a valid email address.", code="invalid"
            ) from None
        return
    try:
        validate_web_url(value)
    except ValidationError:
        raise ValidationError(
            "Enter a web address starting with http:// or https://, or mailto:address.",
            code="invalid",
        ) from None
