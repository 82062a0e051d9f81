from .decisions import DecisionState, ExitMethod, FundingDecision, Instrument
from .funds import Fund
from .investments import (
    TRANCHE_OUT_STATES,
    Conversion,
    ConversionState,
    Exit,
    ExitKind,
    FinancingRound,
    Investment,
    Tranche,
    TranchePart,
    TrancheState,
    ValuationMark,
    stake_percent,
)
from .obligations import (
    MAJOR_SERIES_TEXT,
    MAJOR_SERIES_THRESHOLD,
    ContractPayment,
    TechContract,
    reaches_major_series,
    reaches_major_series_q,
    short_of_major_series,
)
from .post_investment import InsurancePolicy, MaterialEvent, QuarterlyReport, Risk, RiskState

__all__ = [
    "MAJOR_SERIES_TEXT", "MAJOR_SERIES_THRESHOLD", "TRANCHE_OUT_STATES", "ContractPayment", "Conversion",
    "ConversionState", "DecisionState", "Exit", "ExitKind", "ExitMethod", "FinancingRound", "Fund", "FundingDecision", "InsurancePolicy", "Instrument",
    "Investment", "MaterialEvent", "QuarterlyReport", "Risk", "RiskState", "TechContract", "Tranche",
    "TranchePart", "TrancheState", "ValuationMark", "reaches_major_series", "reaches_major_series_q",
    "short_of_major_series", "stake_percent",
]
