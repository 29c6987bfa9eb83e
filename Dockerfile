# The platform's image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 lab

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .

# Build-time only: a dummy DATABASE_URL keeps settings from starting the embedded Postgres.
RUN DATABASE_URL=postgres://build@localhost/build python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_ENV=development DATABASE_URL=postgres://build@localhost/build \
       python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/var/media /app/var/private \
    && chown -R lab:lab /app/var

USER lab
EXPOSE 8000
# gunicorn reads its worker count from WEB_CONCURRENCY: (2 x cores) + 1 is its own advice,
# and what `make bench` measures with (docs/performance.md).
ENV WEB_CONCURRENCY=5
CMD ["gunicorn", "lab.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
