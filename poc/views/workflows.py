"""The workflows help page: every workflow drawn from its declaration, with who may take each step."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from poc.diagrams import diagram_of, render_svg, workflow_models


@login_required
def workflow_help(request):
    workflows = []
    for model in workflow_models():
        diagram = diagram_of(model)
        workflows.append({
            "diagram": diagram, "svg": render_svg(diagram), "anchor": model._meta.label_lower.replace(".", "-"),
            "states": diagram.states,
        })
    return render(request, "poc/help/workflows.html", {"workflows": workflows})
