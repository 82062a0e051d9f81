from .decisions import DecisionState, ExitMethod, FundingDecision, Instrument
from .funds import Fund
from .investments import (
    CONVERSION_WAITING_STATES,
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
    ContractState,
    MajorSeriesCandidate,
    PartyKind,
    PaymentState,
    TechContract,
    counting_payments_q,
    reaches_major_series,
    reaches_major_series_q,
    short_of_major_series,
    university_industry_q,
)
from .post_investment import InsurancePolicy, MaterialEvent, QuarterlyReport, Risk, RiskState

__all__ = [
    "CONVERSION_WAITING_STATES",
    "MAJOR_SERIES_TEXT", "MAJOR_SERIES_THRESHOLD", "TRANCHE_OUT_STATES", "ContractPayment", "ContractState",
    "Conversion", "MajorSeriesCandidate", "PartyKind", "PaymentState", "counting_payments_q",
    "university_industry_q",
    "ConversionState", "DecisionState", "Exit", "ExitKind", "ExitMethod", "FinancingRound", "Fund", "FundingDecision", "InsurancePolicy", "Instrument",
    "Investment", "MaterialEvent", "QuarterlyReport", "Risk", "RiskState", "TechContract", "Tranche",
    "TranchePart", "TrancheState", "ValuationMark", "reaches_major_series", "reaches_major_series_q",
    "short_of_major_series", "stake_percent",
]
