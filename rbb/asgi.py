import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rbb.settings")
application = get_asgi_application()
# Sessions and CSRF tokens are signed with the key: a server without one refuses to start (Django raises).
settings.SECRET_KEY  # noqa: B018
