"""Extension singletons, created unbound and wired in by :func:`annotator.app.factory.create_app`.

Keeping them here (not in ``app.py``) lets models, services and views import them without
import cycles, the cookiecutter-flask habit.
"""

from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every model (SQLAlchemy 2.0 typed mappings)."""


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
