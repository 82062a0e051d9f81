"""The unified social credit code (统一社会信用代码), GB 32100-2015 (DESIGN §5).

18 characters from a 31-character alphabet (digits and upper-case letters without I, O, Z, S, V);
the 18th is a check character computed from the first 17 with the standard's weights.
"""
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from poc.errors import BadInput
from poc.institutions import services
from poc.models import Institution, Membership
from poc.validators import (
    CREDIT_CODE_ALPHABET,
    CREDIT_CODE_WEIGHTS,
    credit_code_check_character,
    validate_credit_code,
)
from tests.factories import InstitutionFactory, UserFactory
from tests.poc.workflow_support import rules_environment

KNOWN_VALID = "91350100M000100Y43"  # a published example of a valid code


@pytest.fixture(autouse=True)
def _environment():
    with rules_environment():
        yield


def with_check(first17: str) -> str:
    return first17 + credit_code_check_character(first17)


GENERATED = [
    with_check("91330300MA2A00001"),  # an enterprise in Wenzhou (330300)
    with_check("12330300470000000"),  # a public institution (事业单位), e.g. a university
    with_check("52330302MJ8000000"),  # a private non-enterprise unit (民办非企业单位)
    with_check("Y1330300MC0000000"),  # other registration authority
    with_check("91110108XY0000000"),
]


def messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@pytest.mark.parametrize("code", [KNOWN_VALID, *GENERATED])
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_the_check_character_of_the_known_example():
    assert credit_code_check_character(KNOWN_VALID[:17]) == "3"


def test_a_check_value_of_zero_is_the_digit_zero():
    """31 − (sum mod 31) = 31 maps to the first character of the alphabet, “0”."""
    for n in range(2000):
        first17 = f"91330300MA{n:07d}"
        weighted = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
        if weighted % 31 == 0:
            assert credit_code_check_character(first17) == "0"
            validate_credit_code(first17 + "0")
            return
    pytest.fail("no code with a zero check value among the first 2000")


@pytest.mark.parametrize("code", [KNOWN_VALID, *GENERATED])
def test_any_other_check_character_is_wrong(code):
    right = code[17]
    wrong = next(c for c in CREDIT_CODE_ALPHABET if c != right)
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code[:17] + wrong)
    assert messages(refused.value) == [
        f"Wrong check character: the last character should be {right}, not {wrong}."
    ]


def test_a_single_changed_character_is_caught():
    changed = KNOWN_VALID[:5] + "2" + KNOWN_VALID[6:]
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(changed)
    assert refused.value.error_list[0].code == "check"


@pytest.mark.parametrize(("code", "length"), [(KNOWN_VALID[:17], 17), (KNOWN_VALID + "0", 19), ("", 0)])
def test_wrong_length(code, length):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert messages(refused.value) == [
        f"A unified social credit code has exactly 18 characters (this one has {length})."
    ]


def test_lowercase_letters_are_refused():
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(KNOWN_VALID.lower())
    assert messages(refused.value) == ["Letters in a unified social credit code must be upper case."]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_the_standard_never_uses(letter):
    code = KNOWN_VALID[:8] + letter + KNOWN_VALID[9:]
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert messages(refused.value) == [
        f"Illegal characters in the unified social credit code: {letter} (I, O, Z, S and V are never used)."
    ]


def test_punctuation_and_full_width_characters_are_illegal():
    with pytest.raises(ValidationError) as refused:
        validate_credit_code("91350100M000100Y4-")
    assert refused.value.error_list[0].code == "alphabet"
    with pytest.raises(ValidationError) as refused:
        validate_credit_code("９1350100M000100Y43")  # a full-width digit
    assert refused.value.error_list[0].code == "alphabet"


# ------------------------------------------------------------- on the model and the service

needs_db = pytest.mark.django_db


def _institution(code):
    return Institution(name="温州大学", credit_code=code, type="university", district="瓯海区", address="茶山高教园区",
                       contact_name="张老师", contact_phone="0577-86689999", contact_email="kjc@example.edu.cn")


@needs_db
def test_institution_full_clean_accepts_a_valid_code():
    _institution(KNOWN_VALID).full_clean(exclude=["group"])


@needs_db
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "Wrong check character: the last character should be 3, not 4."),
        ("91350100M000100Y4", "A unified social credit code has exactly 18 characters (this one has 17)."),
        ("91350100m000100y43", "Letters in a unified social credit code must be upper case."),
        ("91350100M000100O43",
         "Illegal characters in the unified social credit code: O (I, O, Z, S and V are never used)."),
    ],
)
def test_institution_full_clean_names_the_fault(code, message):
    with pytest.raises(ValidationError) as refused:
        _institution(code).full_clean(exclude=["group"])
    assert message in refused.value.message_dict["credit_code"]


def _register_fields(code):
    return {"name": "温州大学", "credit_code": code, "type": "university", "district": "瓯海区",
            "address": "茶山高教园区", "contact_name": "张老师", "contact_phone": "0577-86689999",
            "contact_email": "kjc@example.edu.cn"}


@needs_db
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "Wrong check character: the last character should be 3, not 4."),
        ("91350100M000100Y431", "A unified social credit code has exactly 18 characters (this one has 19)."),
        ("91350100m000100y43", "Letters in a unified social credit code must be upper case."),
        ("91350100M000100S43",
         "Illegal characters in the unified social credit code: S (I, O, Z, S and V are never used)."),
    ],
)
def test_registering_an_institution_with_a_bad_code_creates_nothing(code, message):
    user = UserFactory(roles=["applicant"])
    groups_before = Group.objects.count()
    with pytest.raises(BadInput) as refused:
        services.register_institution(user, **_register_fields(code))
    assert refused.value.status == 400
    assert message in refused.value.messages
    assert message in refused.value.field_errors["credit_code"]
    assert not Institution.objects.exists()
    assert Group.objects.count() == groups_before
    assert not Membership.objects.exists()
    assert not user.groups.filter(name__startswith="institution:").exists()


@needs_db
def test_registering_with_a_valid_code_surrounded_by_spaces_stores_it_trimmed():
    user = UserFactory(roles=["applicant"])
    institution = services.register_institution(user, **_register_fields(f"  {KNOWN_VALID} "))
    assert institution.credit_code == KNOWN_VALID


@needs_db
def test_a_code_already_registered_is_refused_with_a_hint_to_join():
    InstitutionFactory(credit_code=KNOWN_VALID)
    user = UserFactory(roles=["applicant"])
    with pytest.raises(BadInput) as refused:
        services.register_institution(user, **_register_fields(KNOWN_VALID))
    assert refused.value.messages == [
        "An institution with this unified social credit code is already registered; ask to join it."
    ]
    assert Institution.objects.count() == 1
