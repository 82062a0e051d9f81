"""Workflow diagrams are drawn from the declarations: every transition of every workflow is on its diagram."""
import re

import pytest

from poc.diagrams import diagram_of, render_svg, workflow_models
from poc.rules import describe, transition_methods


@pytest.mark.parametrize("model", workflow_models(), ids=lambda m: m._meta.label)
def test_every_declared_transition_and_state_is_drawn(model):
    diagram = diagram_of(model)
    svg = str(render_svg(diagram))
    drawn = set(re.findall(r'data-transition="([^"]+)"', svg))
    assert drawn == set(transition_methods(model)), "a transition is missing from the diagram"
    states = set(re.findall(r'data-state="([^"]+)"', svg))
    for name in transition_methods(model):
        declared = describe(model, name)
        sources = set(declared["sources"]) - {"*", "+"}
        assert sources <= states, (name, sources - states)


def test_the_workflows_of_the_higher_apps_are_found_without_naming_them():
    labels = {m._meta.label for m in workflow_models()}
    assert {"poc.Application", "poc.Center", "poc.Project"} <= labels
    assert {"review.Assignment", "review.Review", "funding.FundingDecision", "funding.Tranche"} <= labels


def test_the_current_state_is_highlighted_and_the_users_steps_are_bold():
    from poc.models import Application

    svg = str(render_svg(diagram_of(Application), current="submitted", available={"accept_for_review"}))
    assert 'data-state="submitted" aria-current="step"' in svg
    bold = re.findall(r'stroke-width="2.6"[^>]*data-transition="([^"]+)"', svg)
    assert bold == ["accept_for_review"]
    assert svg.count('aria-current="step"') == 1
