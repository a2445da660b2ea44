"""HTTP pages, one blueprint per concern: joining, the live screens, static-like assets, the synthesis and its review."""


def init_app(app) -> None:
    """Register the blueprints."""
    from . import assets, health, join, live, review, synthesis

    app.register_blueprint(join.bp)
    app.register_blueprint(live.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(synthesis.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(health.bp)
