"""Work and profile data written out in other formats: BibTeX, Atom feeds, a static site.

:mod:`~scholarfolio.export.bibtex` and :mod:`~scholarfolio.export.atom` turn the
work dicts of :mod:`scholarfolio.works` into text; :mod:`~scholarfolio.export.site`
writes the whole web site as static files through the web app's own routes.
"""
