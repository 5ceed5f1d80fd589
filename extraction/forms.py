"""Extraction forms as YAML files: parse (every error with its line), describe, and validate.

A form file::

    name: obc
    title: Outcomes-based contracting
    sections:
      - name: setting
        label: Setting
        fields:
          - {name: country, type: country, required: true, help: Where the contract ran}
          - {name: model, type: choice, choices: [sib, pbr, other]}
          - {name: model_other, type: text, when: {field: model, in: [other]}}
          - name: outcomes
            type: group           # a table of rows
            fields:
              - {name: metric, type: text, required: true}
              - {name: payment, type: number, unit: GBP, min: 0}

Field types: text, long_text, integer, number (with `unit`), boolean, date, choice,
multi_choice, country (ISO 3166 via pycountry, stored as its alpha-3 code) and group.

The form model is in `extraction.form_model`, reading files in `extraction.form_parser` and
the field types' values in `extraction.field_types`; this module gathers them for importers.
"""

from __future__ import annotations

from extraction.field_types import MULTI_SEP, coerce, format_value
from extraction.form_model import (
    FIELD_TYPES,
    Choice,
    Condition,
    FieldDef,
    FieldValueError,
    FormDef,
    FormDefinitionError,
    FormIssue,
    Section,
    ValueIssue,
)
from extraction.form_parser import check_form, parse_form

__all__ = [
    "FIELD_TYPES",
    "MULTI_SEP",
    "Choice",
    "Condition",
    "FieldDef",
    "FieldValueError",
    "FormDef",
    "FormDefinitionError",
    "FormIssue",
    "Section",
    "ValueIssue",
    "check_form",
    "coerce",
    "format_value",
    "parse_form",
]
