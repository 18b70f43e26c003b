"""What Accept and Dismiss do to a suggestion, each in one transaction and one revision.

Accepting a new work creates the paper (published or draft) with its authors in
order, matched to people as the importers match them (the owner included);
accepting an update writes the chosen fields to the paper. Dismissing stores
the suggestion's identity so that no source suggests the same work (or the same
update) again. All of it is saved in django-reversion's history.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction

from research.models import Person, Publication

from .identity import split_arxiv_id
from .models import DismissedWork, Suggestion


class AcceptError(Exception):
    """The suggestion cannot become a paper as it is; the message says why."""


def write_authors(paper, names):
    """The paper's authors, in this order, matched to people as the importers match them
    (the owner under any compatible spelling), written with Publication.set_authors."""
    owner = Person.objects.owner()
    authors = Person.objects.authors_for(
        [(name, "") for name in names],
        Person.objects.by_name(),
        owner=owner,
        matcher=owner.name_matcher() if owner else None,
    )
    paper.set_authors(authors)


def accept(suggestion, *, user=None, status=Publication.Status.DRAFT, fields=None):
    """Create or update the paper; returns it. AcceptError when it cannot be saved."""
    if suggestion.status != Suggestion.Status.WAITING:
        raise AcceptError(f"“{suggestion.title}” was already {suggestion.get_status_display()}.")
    with transaction.atomic(), reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        if suggestion.kind == Suggestion.Kind.NEW:
            paper = _create(suggestion, status)
            reversion.set_comment(f"Added from the paper inbox ({', '.join(suggestion.sources)}).")
        else:
            paper = _update(suggestion, fields)
            reversion.set_comment(
                f"Updated from the paper inbox: {', '.join(fields or suggestion.changes)}."
            )
        suggestion.status = Suggestion.Status.ACCEPTED
        suggestion.publication = paper
        suggestion.save()
        reversion.add_to_revision(paper)
        reversion.add_to_revision(suggestion)
    return paper


def _create(suggestion, status):
    if suggestion.date is None:
        raise AcceptError(f"“{suggestion.title}” has no date: add the paper by hand.")
    existing = Publication.objects.matching(
        doi=suggestion.doi, arxiv_id=split_arxiv_id(suggestion.arxiv_id)[0], title=suggestion.title
    )
    if existing is not None:
        raise AcceptError(
            f"“{existing.title}” is already on the site (added since this was suggested); "
            "the next check will suggest any update to it."
        )
    paper = Publication(
        title=suggestion.title,
        date=suggestion.date,
        url=suggestion.url,
        venue=suggestion.venue,
        doi=suggestion.doi,
        abstract=suggestion.abstract,
        status=status,
    )
    if suggestion.arxiv_id and "arxiv.org" not in paper.url:
        paper.pdf_url = f"https://arxiv.org/pdf/{suggestion.arxiv_id}"
    try:
        paper.full_clean()
        paper.save()
        write_authors(paper, suggestion.authors or _owner_only())
    except ValidationError as error:
        raise AcceptError(f"“{suggestion.title}” cannot be saved: {_messages(error)}") from None
    return paper


def _owner_only():
    # ORCID lists a work without its authors; it is the owner's, so they come first.
    owner = Person.objects.filter(is_owner=True).first()
    return [owner.name] if owner else []


def _update(suggestion, fields):
    paper = suggestion.publication
    if paper is None:
        raise AcceptError("The paper this update was for has been deleted.")
    chosen = suggestion.changes if fields is None else fields
    unknown = set(chosen) - set(suggestion.changes)
    if unknown:
        raise AcceptError(f"Not part of this update: {', '.join(sorted(unknown))}.")
    if not chosen:
        raise AcceptError("Choose at least one field to apply, or dismiss the update.")
    for name in chosen:
        setattr(paper, name, suggestion.changes[name][1])
    try:
        paper.full_clean()
    except ValidationError as error:
        raise AcceptError(f"“{paper.title}” cannot be updated: {_messages(error)}") from None
    paper.save()
    left = {k: v for k, v in suggestion.changes.items() if k not in chosen}
    if left:
        # The fields the owner left unticked are declined, not to be suggested again.
        declined = Suggestion(kind=Suggestion.Kind.UPDATE, publication=paper, changes=left)
        DismissedWork.objects.get_or_create(
            key=declined.update_key[:500], defaults={"title": suggestion.title}
        )
    return paper


def _messages(error):
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())


def dismiss(suggestion, *, user=None):
    """Never suggest this work (or this update) again, from any source."""
    with transaction.atomic(), reversion.create_revision():
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        reversion.set_comment("Dismissed in the paper inbox.")
        for key in suggestion.dismiss_keys:
            DismissedWork.objects.get_or_create(key=key[:500], defaults={"title": suggestion.title})
        suggestion.status = Suggestion.Status.DISMISSED
        suggestion.save()
        reversion.add_to_revision(suggestion)
