# Production image for the DOST one-stop-shop.
#
#   docker build -t dost .
#   docker run -e SECRET_KEY=... -e ALLOWED_HOSTS=dost.example.az \
#              -e DATABASE_URL=postgres://... -e REDIS_URL=redis://... -p 8000:8000 dost
#
# The image holds no secrets: everything comes from the environment at run time
# (see README.md, "Configuration"). docker-compose.yml runs the whole stack.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# gunicorn reads its default worker count from WEB_CONCURRENCY; override it per host
# (roughly 2 x CPUs + 1 for this I/O-bound app).
ENV WEB_CONCURRENCY=3

# Pango/HarfBuzz and a font for WeasyPrint (PDF certificates), gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 dost \
    && useradd --system --uid 10001 --gid dost --create-home --home-dir /home/dost \
        --shell /usr/sbin/nologin dost

WORKDIR /app

# Dependencies first so that code changes do not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Build-time only settings: a DATABASE_URL so that settings never start the
# embedded PostgreSQL (neither command connects to it), and production mode for
# collectstatic, because DEBUG=0 switches to whitenoise's manifest storage whose
# staticfiles.json must be written now. The throwaway key is generated here and
# is never stored in the image.
# An empty locale/ is not kept by git, so make sure compilemessages finds one.
RUN mkdir -p locale \
    && DATABASE_URL=postgres://build@localhost/build DEBUG=1 \
        python manage.py compilemessages
RUN DATABASE_URL=postgres://build@localhost/build DEBUG=0 ALLOWED_HOSTS=build \
        SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
        FIELD_ENCRYPTION_KEYS="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
        PSEUDONYM_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(32))')" \
        python manage.py collectstatic --noinput

# Code and static files stay owned by root (read-only for the app); only media is writable.
RUN mkdir -p /app/media && chown dost:dost /app/media

USER 10001:10001

EXPOSE 8000

# /healthz only says the process answers. The Host header must be one Django
# allows, so use the first entry of ALLOWED_HOSTS (a leading "." wildcard is dropped).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = next((h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')), 'localhost'); urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4)"]

CMD ["gunicorn", "dost.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60", \
     "--access-logfile", "-"]
