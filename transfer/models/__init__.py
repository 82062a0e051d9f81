"""The transfer app's models: results and their pipeline, demands, roadshows, licences, interests."""
from .demands import Demand, DemandState, Disclosure
from .interests import Conversation, Interest, Side
from .licences import Licence, LicenceReminder, LicenceState
from .results import (
    OPEN_STAGES,
    DetailRequest,
    EvidenceKind,
    LandingEvidence,
    LegalStatus,
    Result,
    ResultType,
    Stage,
    TransferMode,
    split_keywords,
)
from .roadshows import (
    Participant,
    Roadshow,
    RoadshowFeedback,
    RoadshowPresentation,
    RoadshowRegistration,
    RoadshowState,
)

__all__ = [
    "OPEN_STAGES", "Conversation", "Demand", "DemandState", "DetailRequest", "Disclosure", "EvidenceKind", "Interest",
    "LandingEvidence", "LegalStatus", "Licence", "LicenceReminder", "LicenceState", "Participant", "Result",
    "ResultType", "Roadshow", "RoadshowFeedback", "RoadshowPresentation", "RoadshowRegistration", "RoadshowState",
    "Side", "Stage", "TransferMode", "split_keywords",
]
