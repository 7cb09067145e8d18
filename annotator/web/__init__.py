"""Server-rendered pages: one small blueprint per surface."""

from flask import Flask


def register_web(app: Flask) -> None:
    from annotator.web import account, articles, auth, projects

    app.register_blueprint(auth.bp)
    app.register_blueprint(projects.bp)
    app.register_blueprint(articles.bp)
    app.register_blueprint(account.bp)
    from annotator.web import classes

    app.register_blueprint(classes.bp)
    from annotator.web import staff_review as review

    app.register_blueprint(review.bp)
    from annotator.web import exports

    app.register_blueprint(exports.bp)
    from annotator.web import agreement

    app.register_blueprint(agreement.bp)
    app.jinja_env.globals["role_names"] = {
        "instructor": "Instructor",
        "reviewer": "Reviewer",
        "researcher": "Researcher",
    }
