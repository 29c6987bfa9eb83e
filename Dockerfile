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

# The same build as CI's (bin/build): translations compiled, static files collected with the
# production storage (its manifest is what {% static %} reads in production).
RUN bin/build \
    && mkdir -p /app/var/media /app/var/private \
    && chown -R lab:lab /app/var

USER lab
EXPOSE 8000
# gunicorn reads its worker count from WEB_CONCURRENCY: (2 x cores) + 1 is its own advice,
# and what `make bench` measures with (docs/performance.md).
ENV WEB_CONCURRENCY=5
# Migrate, then gunicorn: the same start as CI's production smoke test (bin/serve).
CMD ["bin/serve"]
