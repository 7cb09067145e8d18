"""Forms of the class pages. CSRF comes with FlaskForm; the services check the values, so
these forms mostly parse, and their field names match the ``field`` the services report."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

#: The scales a question can have (the service checks the value).
LEVEL_CHOICES = (("nominal", "Nominal (categories)"), ("ordinal", "Ordinal (ordered)"))


class AddReviewerForm(FlaskForm):
    username = StringField("Username")
    name = StringField("Name")
    email = StringField("E-mail")


class RosterImportForm(FlaskForm):
    roster = FileField("Roster (CSV)", validators=[FileRequired("Choose a CSV file.")])


class EveryoneForm(FlaskForm):
    due = StringField("Due date")


class BalancedForm(FlaskForm):
    k = IntegerField(
        "Reviewers per article",
        validators=[InputRequired("Give how many reviewers each article gets."), NumberRange(1)],
    )
    seed = IntegerField(
        "Seed", validators=[InputRequired("Give a seed (any whole number)."), NumberRange(0)]
    )
    due = StringField("Due date")


class DueForm(FlaskForm):
    due = StringField("Due date")
    include_submitted = BooleanField("Also change submitted assignments")


class ReassignForm(FlaskForm):
    reviewer = IntegerField("New reviewer", validators=[InputRequired("Choose a reviewer.")])


class LabelForm(FlaskForm):
    layer = StringField("Layer")
    key = StringField("Key")
    name = StringField("Name")
    color = StringField("Colour")
    shortcut = StringField("Shortcut", validators=[Optional()])
    description = TextAreaField("Definition")


class LabelEditForm(FlaskForm):
    name = StringField("Name")
    color = StringField("Colour")
    shortcut = StringField("Shortcut", validators=[Optional()])
    description = TextAreaField("Definition")


class QuestionForm(FlaskForm):
    key = StringField("Key")
    text = StringField("Question")
    level = StringField("Scale", default="nominal")  # choices: LEVEL_CHOICES
    answers = TextAreaField("Answers")
    description = TextAreaField("Guidance")


class QuestionEditForm(FlaskForm):
    text = StringField("Question")
    description = TextAreaField("Guidance")
