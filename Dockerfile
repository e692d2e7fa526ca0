# newsfacts on the official Airflow image: the project's locked dependencies and its package.
# Build: docker compose build   (or: docker build -t newsfacts-airflow:3.3.2 .)

# 1. The lock file as a pip requirements file (uv only lives in this stage).
FROM apache/airflow:3.3.2-python3.11 AS requirements
RUN pip install --no-cache-dir uv==0.13.8
COPY --chown=airflow:0 pyproject.toml uv.lock /tmp/project/
# --no-emit-project: the project itself is installed below, editable, from the copied sources.
RUN cd /tmp/project \
    && python -m uv export --frozen --no-hashes --no-dev --no-emit-project \
         --format requirements-txt -o /tmp/requirements.txt

# 2. The runtime image.
FROM apache/airflow:3.3.2-python3.11

USER root
# Shared data folders; a new named volume copies this ownership (group 0 for any AIRFLOW_UID).
RUN mkdir -p /opt/newsfacts/data /opt/newsfacts/warehouse /opt/airflow/auth \
    && chown -R airflow:0 /opt/newsfacts /opt/airflow/auth \
    && chmod -R g+rwX /opt/newsfacts /opt/airflow/auth
USER airflow

COPY --from=requirements /tmp/requirements.txt /tmp/requirements.txt
# apache-airflow is pinned on the command line too, so nothing in the lock can move it.
RUN pip install --no-cache-dir "apache-airflow==3.3.2" -r /tmp/requirements.txt

# The project lives at /opt/airflow (PROJECT_ROOT): include/ holds the package, its SQL and
# lexicons; compose mounts ./dags and ./include over these copies for development.
COPY --chown=airflow:0 pyproject.toml README.md /opt/airflow/
COPY --chown=airflow:0 include /opt/airflow/include
COPY --chown=airflow:0 dags /opt/airflow/dags
COPY --chown=airflow:0 plugins /opt/airflow/plugins
RUN pip install --no-cache-dir --no-deps -e /opt/airflow

ENV NEWSFACTS_HOME=/opt/newsfacts/data \
    NEWSFACTS_WAREHOUSE=/opt/newsfacts/warehouse/newsfacts.duckdb \
    NEWSFACTS_SOURCES=/opt/airflow/include/sources.yaml \
    GX_ANALYTICS_ENABLED=false
