# Production image: gunicorn behind a reverse proxy, static files collected, non-root user.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# gettext for compilemessages; Noto CJK for Chinese PDF output (Typst embeds the fonts it uses).
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN python manage.py collectstatic --noinput \
 && python manage.py compilemessages --ignore=.venv

RUN useradd --create-home --uid 10001 rbb \
 && mkdir -p /app/media \
 && chown -R rbb:rbb /app/media
USER rbb

EXPOSE 8000
CMD ["gunicorn", "rbb.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
