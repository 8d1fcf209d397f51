"""The web layer: HTML pages and a JSON API over the profiles library.

``app.create_app(store)`` builds the Starlette application; ``server.serve``
runs it with granian, behind the response cache of :mod:`scholarfolio.web.cache`.
Every page is one dict from :mod:`scholarfolio.profiles` rendered either as HTML
(a Jinja2 template) or as JSON.
"""
