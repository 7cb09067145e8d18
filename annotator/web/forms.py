"""WTForms forms for the pages (CSRF comes with Flask-WTF's FlaskForm)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(min=8)])
    confirm = PasswordField(
        "Repeat the new password", validators=[EqualTo("new_password", "The passwords differ.")]
    )


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=100)])


class ImportArticlesForm(FlaskForm):
    files = FileField("Article files", validators=[FileRequired()], render_kw={"multiple": True})


class ProjectSettingsForm(FlaskForm):
    blind_review = BooleanField("Blind review (reviewers see only their own work)")


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""
