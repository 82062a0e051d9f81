"""``{% workflow_diagram obj %}``: the object's workflow with its state highlighted and the viewer's steps bold."""
from django import template

from poc.diagrams import diagram_of, render_svg
from poc.rules import available_transitions, state_field

register = template.Library()


@register.inclusion_tag("poc/_workflow_diagram.html", takes_context=True)
def workflow_diagram(context, obj):
    user = context["request"].user
    model = type(obj)
    current = str(state_field(obj).get_state(obj))
    steps = available_transitions(obj, user)
    return {
        "svg": render_svg(diagram_of(model), current=current, available={c.name for c in steps}),
        "steps": steps, "anchor": model._meta.label_lower.replace(".", "-"),
    }
