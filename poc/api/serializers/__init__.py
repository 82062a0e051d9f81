"""Serializers of the poc API, one module per resource: they translate JSON to Python values and back, nothing more.

Input serializers only parse (types, lengths, choices: the model's own field declarations); every rule and every
write lives in the aggregates' services. Output serializers show what the selectors let the caller see; officers'
names are never shown to applicants (they see "the bureau", as in an application's history).
"""
