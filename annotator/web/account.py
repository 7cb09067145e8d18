"""The user's own account: password and personal API tokens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from annotator.services import accounts
from annotator.services.errors import ServiceError
from annotator.web.forms import EmptyForm, PasswordForm, TokenForm

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/")
def index():
    return render_template(
        "account.html",
        password_form=PasswordForm(),
        token_form=TokenForm(),
        revoke_form=EmptyForm(),
        tokens=accounts.list_api_tokens(current_user),
        new_token=None,
    )


@bp.route("/password", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash("Your password is changed.", "success")
            return redirect(url_for("projects.index"))
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    return render_template("password.html", form=form)


@bp.post("/tokens")
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        flash("Give the token a name.", "error")
        return redirect(url_for("account.index"))
    record, token = accounts.create_api_token(current_user, form.name.data)
    return render_template(
        "account.html",
        password_form=PasswordForm(),
        token_form=TokenForm(formdata=None),
        revoke_form=EmptyForm(),
        tokens=accounts.list_api_tokens(current_user),
        new_token=token,
    )


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    if EmptyForm().validate_on_submit():
        accounts.revoke_api_token(current_user, token_id)
        flash("The token is revoked.", "success")
    return redirect(url_for("account.index"))
