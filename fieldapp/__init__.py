"""fieldapp: offline-first collection server for Vietnam's civil-status records."""

from pathlib import Path
from typing import Any

from flask import Flask

from fieldapp import config as app_config
from fieldapp.i18n import localize_validation_messages

localize_validation_messages()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, CLI."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        static_folder="../static",
        template_folder="../templates",
    )
    app_config.configure(app, config)
    configure_logging(app)
    configure_extensions(app)
    configure_blueprints(app)
    configure_jobs(app)
    configure_hooks(app)
    configure_cli(app)
    return app


def configure_logging(app: Flask) -> None:
    from fieldapp.logs import setup_logging

    setup_logging(app)


def configure_extensions(app: Flask) -> None:
    from fieldapp import database, i18n, models  # noqa: F401  (models: the schema, for Alembic)
    from fieldapp.accounts.auth import setup_login
    from fieldapp.extensions import api, babel, csrf, db, limiter, migrate

    database.register_sqlite_pragmas()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app_config.project_root() / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.compile_stale_catalogs(Path(app.root_path) / "translations")
    babel.init_app(app, locale_selector=i18n.select_locale)
    setup_login(app)
    api.init_app(app)


def configure_blueprints(app: Flask) -> None:
    from fieldapp.accounts.api import blp as auth_api
    from fieldapp.accounts.device_views import bp as devices_bp
    from fieldapp.accounts.user_views import bp as users_bp
    from fieldapp.accounts.views import bp as accounts_bp
    from fieldapp.extensions import api, csrf
    from fieldapp.field.views import bp as field_bp
    from fieldapp.health import bp as health_bp
    from fieldapp.jobs.views import bp as jobs_bp
    from fieldapp.progress.views import bp as progress_bp
    from fieldapp.receipts.views import bp as receipts_bp
    from fieldapp.records.api import blp as records_api
    from fieldapp.records.forms_api import blp as forms_api
    from fieldapp.registry.api import blp as registry_api
    from fieldapp.review.api import blp as review_api
    from fieldapp.review.views import bp as review_bp
    from fieldapp.sync.api import blp as sync_api
    from fieldapp.sync.schemas import document_record_schemas
    from fieldapp.vn.api import blp as units_api

    for blueprint in (auth_api, sync_api, registry_api, records_api, forms_api, units_api, review_api):
        csrf.exempt(blueprint)  # bearer tokens, no cookies: CSRF cannot apply
        api.register_blueprint(blueprint)
    document_record_schemas(api.spec)
    app.register_blueprint(health_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(devices_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(field_bp)
    app.register_blueprint(progress_bp)
    app.register_blueprint(receipts_bp)
    app.register_blueprint(review_bp)


def configure_jobs(app: Flask) -> None:
    """What each part runs in the background (registered by importing it), and the queue under it."""
    from fieldapp.field import jobs as field_jobs  # noqa: F401
    from fieldapp.jobs.queue import job_queue
    from fieldapp.receipts import jobs as receipt_jobs  # noqa: F401

    job_queue(app)


def configure_hooks(app: Flask) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    from fieldapp import database, errors, navigation, security
    from fieldapp.compression import GzipRequestMiddleware

    errors.register_error_handlers(app)
    security.register_security_headers(app)
    navigation.register_navigation(app)
    database.register_request_transaction(app)
    app.wsgi_app = GzipRequestMiddleware(app.wsgi_app, max_bytes=app.config["MAX_CONTENT_LENGTH"])
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:  # the client's address and scheme as the trusted proxies saw them (rate limits, HTTPS)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def configure_cli(app: Flask) -> None:
    from fieldapp.cli import register_cli

    register_cli(app)
