from .assignments import Assignment, AssignmentMethod, AssignmentState
from .conflicts import AUTOMATIC_SOURCES, Conflict, ConflictSource
from .experts import Expert, ExpertAffiliation
from .plans import DEFAULT_CENTER_RUBRIC, DEFAULT_PROJECT_RUBRIC, Aggregate, Criterion, ReviewPlan
from .reviews import CriterionScore, Recommendation, Review, ReviewState

__all__ = [
    "AUTOMATIC_SOURCES", "Aggregate", "Assignment", "AssignmentMethod", "AssignmentState", "Conflict",
    "ConflictSource", "Criterion", "CriterionScore", "DEFAULT_CENTER_RUBRIC", "DEFAULT_PROJECT_RUBRIC", "Expert",
    "ExpertAffiliation", "Recommendation", "Review", "ReviewPlan", "ReviewState",
]
