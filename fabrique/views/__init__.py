"""HTTP pages, one blueprint per concern: joining, the live screens, and static-like assets."""


def init_app(app) -> None:
    """Register the blueprints."""
    from . import assets, join, live

    app.register_blueprint(join.bp)
    app.register_blueprint(live.bp)
    app.register_blueprint(assets.bp)
