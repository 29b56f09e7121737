"""indicators.rules as SQL, for reads that judge many items at once (the HQ dashboard).

Each expression here is the twin of a function of indicators.rules and lives beside it so the
two change together; tests/review/test_dashboard.py builds items on either side of every rule
and checks that both agree. Where a rule needs Python (an indicator's printed target and actual,
`≤ 48`, `10%±3%`), the SQL only says which items the rules must read.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, CharField, DecimalField, F, Func, Q, Value, When
from django.db.models.functions import Abs, Cast, NullIf, Round

from missions.models import ReportType

from .models import Indicator, IndicatorFigure, Output

# What str.strip() strips, as a character class that PostgreSQL and Python regular expressions
# both read: a text is filled in when it holds anything else.
_WHITE_SPACE = "".join(f"\\u{code:04x}" for code in range(0x3001) if chr(code).isspace())
_BLANK = rf"^[{_WHITE_SPACE}]*$"
# Wide enough that PostgreSQL's quotient is exact to far more places than the one the ratio keeps.
_EXACT = DecimalField(max_digits=60, decimal_places=30)


class Divide(Func):
    """a / b in exact decimals on PostgreSQL.

    SQLite (for development) keeps whole decimals as integers and would divide them as
    integers: it divides in floating point instead, where a ratio exactly on a rounding edge
    (110.05) may round down.
    """

    arg_joiner = " / "
    template = "(%(expressions)s)"
    output_field = DecimalField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(1.0 * %(expressions)s)", **extra_context)


def filled(name: str) -> Q:
    """Whether a text column holds more than white space, without reading the text."""
    return ~Q(**{f"{name}__regex": _BLANK})


def written(name: str) -> Q:
    """Whether a content text is filled in in either language (X Chinese, X_en English)."""
    return filled(name) | filled(f"{name}_en")


def placeholder(name: str) -> Case:
    """The text "…" when a content text is filled in (either language), "" when not, without reading it."""
    return Case(When(written(name), then=Value("…")), default=Value(""), output_field=CharField())


# An item's state as SQL works it out: done, flagged, both or neither.
DONE, FLAGGED = 1, 2


def indicator_state() -> Case:
    """DONE when an indicator is filled in and the rules cannot flag it, else 0.

    The rules may flag an indicator that is not qualitative and has a target and an actual:
    those are 0 here, for indicators.rules to judge (see judged_indicators). Any other is done
    when it is filled in (rules.indicator_is_complete).
    """
    # IN, not EXISTS: PostgreSQL costs the EXISTS per indicator, and compiles the query (JIT) to save on it.
    targets = IndicatorFigure.objects.filter(kind=IndicatorFigure.Kind.TARGET).values("indicator_id")
    judged = ~Q(direction=Indicator.Direction.QUALITATIVE) & Q(pk__in=targets)
    return Case(
        When(filled("actual"), then=Case(When(judged, then=Value(0)), default=Value(DONE))),
        When(written("actual_narrative"), then=Value(DONE)),
        default=Value(0),
    )


def output_state(report: str) -> tuple[dict, Case]:
    """rules.output_state of an output as DONE | FLAGGED bits: (aliases to add, the state).

    `report` is the path from Output to its report, ending in "__". An output is complete when
    it is not blank or has remarks, and done when it is complete and, if flagged, explained by
    its remarks.
    """
    planned = NullIf(F("planned_value"), Value(Decimal(0)))
    ratio = Round(Divide(Cast(F("completed_value"), _EXACT) * 100, planned), 1)  # rbb.lib.numbers.percentage
    gap = Divide(Cast(Abs(F("completed_value") - F("planned_value")), _EXACT) * 100, planned)
    headquarters = Q(**{f"{report}report_type__shape": ReportType.Shape.HEADQUARTERS})
    measured = Q(completed_kind=Output.Completed.NUMBER, planned_value__isnull=False, completed_value__isnull=False)
    # rules.output_flags. A comparison with no planned value (NULL) is not true: no flag.
    flagged = (
        Q(completed_kind__in=[Output.Completed.NO, Output.Completed.BLANK])
        | measured & headquarters & (Q(ratio__lt=F(f"{report}ratio_low")) | Q(ratio__gt=F(f"{report}ratio_high")))
        | measured & ~headquarters & Q(gap__gt=F(f"{report}tolerance_percent"))
    )
    state = Case(
        When(written("remarks"), then=Case(When(flagged, then=Value(DONE | FLAGGED)), default=Value(DONE))),
        When(flagged, then=Value(FLAGGED)),
        When(~Q(completed_kind=Output.Completed.BLANK), then=Value(DONE)),
        default=Value(0),
    )
    return {"ratio": ratio, "gap": gap}, state
