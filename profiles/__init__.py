"""The site's owner as visitors meet them: the profile (name, subtitle, photo, bio,
active research, CV file) and its ordered social links, edited in the admin.

App label `profile`; the folder is profiles/ because `profile` is a standard
library module. Everything else may read the profile (page titles, feeds); this
app imports no other content app.
"""
