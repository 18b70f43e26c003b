"""Everything about uploaded files: checks, re-encoding, renditions, serving.

images (normalize_image: open safely, strip metadata, resize), fields
(NormalizedImageField, validate_pdf), renditions (WebP + fallback at 1x/2x and
the <picture> element), views (markdownx's upload endpoint with our checks,
serve_media), and the {% picture %} template tag (templatetags/pictures.py).
"""
