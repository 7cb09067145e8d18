"""Assignments: an instructor reopens a submitted one."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from annotator.api import api_bp
from annotator.services import assignments as assignment_service


@api_bp.post("/assignments/<int:assignment_id>/reopen")
def reopen_assignment(assignment_id: int):
    assignment = assignment_service.reopen(current_user, assignment_id)
    return jsonify(assignment_service.assignment_dict(assignment))
