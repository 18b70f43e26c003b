"""Running the site in production: /healthz, and the static export (`export_site`)."""
