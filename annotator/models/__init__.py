"""The data model (see ARCHITECTURE.md, "Data"). Importing this registers every table."""

from annotator.models.accounts import ApiToken, User
from annotator.models.annotations import AdjudicationDecision, Annotation, Answer
from annotator.models.articles import Article, Assignment, AssignmentStatus
from annotator.models.codebooks import Codebook, Label, Layer, Question
from annotator.models.history import HistoryEntry
from annotator.models.projects import Membership, Project, Role
from annotator.models.types import utcnow

__all__ = [
    "AdjudicationDecision",
    "Annotation",
    "Answer",
    "ApiToken",
    "Article",
    "Assignment",
    "AssignmentStatus",
    "Codebook",
    "HistoryEntry",
    "Label",
    "Layer",
    "Membership",
    "Project",
    "Question",
    "Role",
    "User",
    "utcnow",
]
