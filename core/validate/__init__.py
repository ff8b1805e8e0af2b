"""Validation of records (not a pipeline stage: it reads records): the JSON Schema, default and user rules.

The parts: ``rules`` (the rules file, parsed), ``check`` (a record against the schema and the rules).

Everything here is pure: a record comes in as the dict of ``record_to_dict``, a rules file comes in
as the text the caller read, problems go out as values.

Rules file format (TOML; ``tests/cases/rules_example.toml`` shows every key)::

    defaults = true            # false: skip the built-in rules (core/data/default_rules.toml);
                               # the JSON Schema is always checked
    required = ["date", ["issuer", "contact.unit"]]
                               # dotted paths into the record (proposal.number, addressees.0.name);
                               # a nested list means "at least one of these"; present means not
                               # null, not "" and not an empty list or table
    min_metrics = 3            # at least this many metrics
    categories = ["training", "employment"]
                               # every metric's category must be one of these
    doc_types = ["reply_letter", "notice"]
                               # the letter's doc_type must be one of these (top level only)
    date_min = 2018-01-01      # the letter's date (成文日期), when it has one, is in this range;
    date_max = "2025-12-31"    # a TOML date or an ISO string; a missing date is `required`'s job
    no_unresolved_damage = true
                               # normalization.mojibake_unresolved must be empty
    forbid_warnings = ["internal_error", "date_invalid"]
                               # no record warning may carry one of these codes (core/codes.py)

    [reply_letter]             # a table named after a doc_type: the same keys (but doc_types),
    required = ["title"]       # checked only on letters of that type, on top of the keys above

User rules add to the default rules; they never loosen them (``defaults = false`` does that).
Unknown keys, unknown tables and malformed values are refused with a ``RulesError`` naming them.
"""
from __future__ import annotations

from .check import Problem, Verdict, check, check_rules, check_schema, counts, lookup, present
from .rules import Requirement, RuleBook, Rules, RulesError, default_rules, parse_rules, unknown_paths

__all__ = [
    "Rules", "RuleBook", "RulesError", "Requirement", "Problem", "Verdict",
    "parse_rules", "default_rules", "check", "check_schema", "check_rules", "unknown_paths",
    "present", "lookup", "counts",
]
