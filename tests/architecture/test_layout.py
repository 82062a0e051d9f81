"""The architecture holds: layering, one access policy, one home per rule, small modules.

These read the source, not the running program: a rule of the layout that a change breaks fails here,
with the file and line to look at.
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lower to higher: an app may import the apps before it, never those after it.
LAYERS = ["poc", "review", "funding", "transfer"]
APPS = [name for name in LAYERS if (ROOT / name).is_dir()]
MAX_LINES = 400


def sources(app: str, *, skip_migrations=True):
    for path in sorted((ROOT / app).rglob("*.py")):
        if skip_migrations and "migrations" in path.parts:
            continue
        yield path


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


@pytest.mark.parametrize("app", APPS)
def test_a_lower_app_never_imports_a_higher_one(app):
    higher = LAYERS[LAYERS.index(app) + 1:]
    found = []
    for path in sources(app, skip_migrations=False):
        for line, module in imported_modules(ast.parse(path.read_text(), str(path))):
            if module.split(".")[0] in higher:
                found.append(f"{where(path, line)} imports {module}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("app", APPS)
def test_a_lower_app_never_names_a_higher_one_in_a_string(app):
    """Not by dotted path, app label or template folder: higher apps register with the lower ones instead."""
    higher = LAYERS[LAYERS.index(app) + 1:]
    if not higher:
        return
    pattern = re.compile(r"^({})[./:]\w".format("|".join(higher)))
    found = []
    for path in sources(app):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.match(node.value):
                found.append(f"{where(path, node.lineno)} names {node.value!r}")
    assert not found, "\n".join(found)


def test_no_module_is_over_400_lines():
    """Migrations and demo data excepted: one reason to change per module."""
    long = []
    for app in APPS + ["config"]:
        for path in sources(app):
            if path.name == "demo.py" or "demo" in path.parts:
                continue
            lines = len(path.read_text().splitlines())
            if lines > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not long, "\n".join(long)


# Every access decision reads the policy in poc/access/; these spell a decision made somewhere else.
ACCESS_OUTSIDE_THE_POLICY = re.compile(
    r"\bis_officer\(|\bhas_role\(|\brole_codes\(|groups\.filter\(|\.groups\.(all|values|exists)|"
    r"get_objects_for_user|assign_perm|remove_perm|\bis_member_of\(|\bmanages_fund\(|"
    r"permission_classes\s*=|IsAuthenticated\b|AllowAny\b|\bis_admin\s*(==|and|or|\)|$)"
)


def test_every_access_decision_goes_through_the_policy():
    found = []
    for app in APPS + ["config"]:
        for path in sources(app):
            # poc/access/ is the policy; each app's relations.py and policies.py are its part of it.
            if (path.is_relative_to(ROOT / "poc" / "access") or path.name in ("relations.py", "policies.py")
                    or path.name == "demo.py"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#")[0]
                if ACCESS_OUTSIDE_THE_POLICY.search(code):
                    found.append(f"{where(path, number)}: {line.strip()}")
    assert not found, "decided outside poc/access/:\n" + "\n".join(found)


STATE_LITERAL = re.compile(r"""\bstate(__in)?\s*(==|!=|=)\s*[\[(]?\s*["'][a-z_]+["']|\bstate\s+(not\s+)?in\s*[\[(]\s*["']""")


def test_states_are_compared_through_their_enums():
    """``state == ApplicationState.APPROVED`` or a named set, never ``state == "approved"``."""
    found = []
    for app in APPS:
        for path in sources(app):
            if path.name == "demo.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if STATE_LITERAL.search(line.split("#")[0]):
                    found.append(f"{where(path, number)}: {line.strip()}")
    assert not found, "\n".join(found)
