"""The cross-check report of a case as staff read it: what the household declared beside
what each institution found, check by check, and the result of each.

Plain functions of a case, its members, its discrepancies and the findings the
sources answered (``Case.findings``: ``{source: [{kind, person, amount, detail,
on}]}``); nothing here reads the database. Every text is made in the active
language when the page is rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.bridge.registers import (
    AbsenceKind,
    PropertyPurpose,
    TransactionKind,
    UtilityService,
)
from dost.bridge.sources import source_adapter
from dost.formatting import format_date, format_money, format_number
from dost.notifications.templates import benefit_title
from vemtas.models import Case, CaseMember, Discrepancy, Ground

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from vemtas.models import Assessment

# A discrepancy's source when the home visit, not an institution, found it.
ASSESSMENT_SOURCE = "assessment"

OK = "ok"
GROUND = "ground"
# Not a check that can refuse: facts that excuse a member (a valid reason) or nothing yet.
INFO = "info"
NONE = "none"
PENDING = "pending"

RESULT_LABELS: dict[str, StrOrPromise] = {
    OK: gettext_lazy("agrees"),
    GROUND: gettext_lazy("ground for refusal"),
    INFO: gettext_lazy("taken into account"),
    NONE: gettext_lazy("none found"),
    PENDING: gettext_lazy("not checked yet"),
}

Findings = Mapping[str, list[Mapping[str, Any]]]


def source_title(code: str) -> StrOrPromise:
    """Whose data a check or a discrepancy came from, in words."""
    if code == ASSESSMENT_SOURCE:
        return _("Home visit by a social worker")
    try:
        return source_adapter(code).title
    except KeyError:
        return code


@dataclass(frozen=True)
class GroundShown:
    label: StrOrPromise
    declared: str
    found: str
    person: str
    # What the two figures are: the declared and the found, except where the law compares
    # other things (the income counted against the household's needs).
    declared_label: StrOrPromise = gettext_lazy("declared")
    found_label: StrOrPromise = gettext_lazy("found")


@dataclass
class CheckRow:
    """One row of the report: a check, what was declared, what was found and by whom."""

    key: str
    title: StrOrPromise
    source: StrOrPromise
    declared: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    grounds: list[GroundShown] = field(default_factory=list)
    result: str = OK

    @property
    def result_label(self) -> StrOrPromise:
        return RESULT_LABELS[self.result]


@dataclass(frozen=True)
class MemberRow:
    member: CaseMember
    age: int


@dataclass(frozen=True)
class Computation:
    """criterion × members − income = amount, as the award was computed."""

    criterion: Decimal
    members: int
    needs: Decimal
    income: Decimal
    amount: Decimal


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _money(value: Any) -> str:
    amount = _decimal(value)
    return format_money(amount) if amount is not None else "—"


def _day(value: Any) -> str:
    if not value:
        return ""
    try:
        return format_date(value)
    except (TypeError, ValueError):
        return str(value)


def _label(choices: type[models.TextChoices], value: Any) -> str:
    """A register's word for ``value`` (a purchase, a dwelling), or the value itself."""
    return str(choices(value).label) if value in choices.values else str(value)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def member_rows(case: Case, members: Iterable[CaseMember]) -> list[MemberRow]:
    """The household as the applicant confirmed it, each member's age on the day applied."""
    return [MemberRow(member, age_on(member.person.birth_date, case.applied_on))
            for member in members]


def computation(case: Case) -> Computation | None:
    """The amount's computation, once the cross-checks have given its figures."""
    if case.criterion is None or case.members_counted is None:
        return None
    income = case.income_counted
    if income is None:
        found = case.found_income if case.found_income is not None else Decimal(0)
        income = max(case.declared_income, found)
    needs = case.criterion * case.members_counted
    amount = case.amount if case.amount is not None else max(Decimal(0), needs - income)
    return Computation(case.criterion, case.members_counted, needs, income, amount)


class _Report:
    """Builds the rows; ``names`` gives each person's name by id."""

    def __init__(self, case: Case, members: list[CaseMember], discrepancies: list[Discrepancy],
                 names: Mapping[int, str], assessment: Assessment | None) -> None:
        self.case = case
        self.members = members
        self.names = names
        self.assessment = assessment
        self.findings: Findings = case.findings or {}
        self.checked = case.checked_at is not None
        self.unplaced = list(discrepancies)

    # --- helpers ----------------------------------------------------------------------

    def name(self, person_id: Any) -> str:
        if person_id is None:
            return ""
        try:
            return self.names.get(int(person_id), _("person No. %(id)s") % {"id": person_id})
        except (TypeError, ValueError):
            return str(person_id)

    def items(self, source: str, *kinds: str, person: int | None = None) -> list[Mapping]:
        rows = self.findings.get(source) or []
        return [row for row in rows
                if (not kinds or row.get("kind") in kinds)
                and (person is None or row.get("person") == person)]

    def about(self, row: Mapping[str, Any], text: str) -> str:
        """``text`` said of the row's person (when it names one)."""
        name = self.name(row.get("person"))
        return f"{name}: {text}" if name else text

    def take_grounds(self, *grounds: str, person: int | None = None,
                     source: str | None = None) -> list[GroundShown]:
        """The discrepancies on ``grounds`` (about ``person``, from ``source``), each once."""
        taken, kept = [], []
        for discrepancy in self.unplaced:
            if (discrepancy.ground in grounds
                    and (person is None or discrepancy.person_id == person)
                    and (source is None or discrepancy.source == source)):
                taken.append(discrepancy)
            else:
                kept.append(discrepancy)
        self.unplaced = kept
        return [self.shown(discrepancy) for discrepancy in taken]

    def shown(self, discrepancy: Discrepancy) -> GroundShown:
        shown = GroundShown(label=discrepancy.get_ground_display(),
                            declared=discrepancy.declared, found=discrepancy.found,
                            person=self.name(discrepancy.person_id))
        if discrepancy.ground == Ground.INCOME_ABOVE_CRITERION:
            return replace(shown, declared_label=_("income counted"),
                           found_label=_("needs of the household"))
        return shown

    def row(self, key: str, title: StrOrPromise, source: str, *, declared: list[str],
            found: list[str], grounds: list[GroundShown], info: bool = False,
            nothing: StrOrPromise | None = None) -> CheckRow:
        row = CheckRow(key=key, title=title, source=source_title(source), declared=declared,
                       grounds=grounds)
        if grounds:
            row.result = GROUND
        elif not self.checked:
            row.result = PENDING
        elif info:
            row.result = INFO if found else NONE
        if not self.checked and not grounds:
            row.found = [self.pending_text(source)]
        else:
            row.found = found or [str(nothing or _("nothing found"))]
        return row

    def pending_text(self, source: str) -> str:
        if source in (self.case.waiting_for or []):
            return _("no answer yet: asked again")
        return _("not checked yet")

    # --- the checks ----------------------------------------------------------------------

    def income(self) -> CheckRow:
        case = self.case
        found = []
        if case.found_income is not None:
            found.append(_("%(amount)s a month on average") % {"amount": _money(case.found_income)})
        for item in self.items("income"):
            amount = _money(item.get("amount"))
            kind = item.get("kind")
            if kind == "wage":
                text = _("wages of %(amount)s in the 12 months (%(employer)s)") % {
                    "amount": amount, "employer": item.get("detail") or "—"}
            elif kind == "benefit":
                text = _("benefit “%(benefit)s”: %(amount)s in the 12 months") % {
                    "benefit": benefit_title(str(item.get("detail") or "—")), "amount": amount}
            elif kind == "unemployment_insurance":
                text = _("unemployment insurance: %(amount)s in the 12 months") % {
                    "amount": amount}
            else:
                text = f"{kind}: {amount}"
            found.append(self.about(item, text))
        declared = [_("%(amount)s a month on average") % {"amount": _money(case.declared_income)}]
        return self.row("income", _("Income"), "income", declared=declared, found=found,
                        grounds=self.take_grounds(Ground.INCOME_UNDECLARED,
                                                  Ground.INCOME_ABOVE_CRITERION))

    def business(self) -> CheckRow:
        found = [self.about(item, _("%(business)s, %(amount)s a month") % {
                     "business": item.get("detail") or "—", "amount": _money(item.get("amount"))})
                 for item in self.items("businesses")]
        declared = [_("a business or self-employment") if self.case.declared_business
                    else _("no business")]
        return self.row("business", _("Business or self-employment"), "businesses",
                        declared=declared, found=found,
                        grounds=self.take_grounds(Ground.BUSINESS_UNDECLARED),
                        nothing=_("no business registered"))

    def household(self) -> CheckRow:
        confirmed = [member for member in self.members if member.confirmed]
        declared = [_("%(count)s living in the household") % {"count": len(confirmed)}]
        declared += [member.person.full_name for member in confirmed]
        declared += [_("%(name)s: does not live there, says the applicant")
                     % {"name": member.person.full_name}
                     for member in self.members if not member.confirmed]
        registered = self.items("civil_registry", "member")
        found = []
        if registered:
            found.append(_("%(count)s registered at the household's address")
                         % {"count": len(registered)})
            # Named as the declaration names them, so the two columns read alike.
            found += [self.names.get(item.get("person"), "") or str(item.get("detail") or "—")
                      for item in registered]
        found += [self.about(item, _("died on %(day)s") % {"day": _day(item.get("on"))})
                  for item in self.items("civil_registry", "dead")]
        return self.row("household", _("Household composition"), "civil_registry",
                        declared=declared, found=found,
                        grounds=self.take_grounds(Ground.HOUSEHOLD_MISMATCH))

    def vehicles(self) -> CheckRow:
        found = []
        for item in self.items("vehicles"):
            text = str(item.get("detail") or "—")
            if item.get("kind") == "rehabilitation_vehicle":
                text = _("%(vehicle)s (a rehabilitation vehicle from the state: not a ground)") % {
                    "vehicle": text}
            found.append(self.about(item, text))
        return self.row("vehicles", _("Vehicles"), "vehicles", declared=[],
                        found=found, grounds=self.take_grounds(Ground.VEHICLE),
                        nothing=_("no vehicle registered"))

    def real_estate(self) -> CheckRow:
        found = [self.about(item, f"{_label(PropertyPurpose, item.get('kind'))}: "
                                  f"{item.get('detail') or '—'}")
                 for item in self.items("real_estate")]
        return self.row("real_estate", _("Real estate"), "real_estate", declared=[],
                        found=found, grounds=self.take_grounds(Ground.REAL_ESTATE),
                        nothing=_("no property registered"))

    def transactions(self) -> CheckRow:
        items = self.items("transactions")
        found = [self.about(item, _("%(kind)s of %(item)s for %(amount)s on %(day)s") % {
                     "kind": _label(TransactionKind, item.get("kind")),
                     "item": item.get("detail") or "—",
                     "amount": _money(item.get("amount")), "day": _day(item.get("on"))})
                 for item in items]
        if items:
            total = sum((_decimal(item.get("amount")) or Decimal(0) for item in items),
                        Decimal(0))
            found.insert(0, _("%(amount)s in all in the 12 months") % {"amount": _money(total)})
        return self.row("transactions", _("Large purchases and sales"), "transactions",
                        declared=[], found=found,
                        grounds=self.take_grounds(Ground.LARGE_TRANSACTIONS),
                        nothing=_("none in the 12 months"))

    def utilities(self) -> CheckRow:
        found = []
        members = self.case.members_counted or 0
        for item in self.items("utilities"):
            text = _("%(amount)s a month") % {"amount": _money(item.get("amount"))}
            if item.get("detail"):
                services = ", ".join(_label(UtilityService, service.strip())
                                     for service in str(item["detail"]).split(","))
                text += f" ({services})"
            amount = _decimal(item.get("amount"))
            if members and amount is not None:
                text += "; " + _("%(amount)s per member") % {
                    "amount": _money(round(amount / members, 2))}
            found.append(text)
        return self.row("utilities", _("Utility and communication costs"), "utilities",
                        declared=[], found=found, grounds=self.take_grounds(Ground.UTILITIES),
                        nothing=_("no bills"))

    def work(self, member: CaseMember) -> CheckRow:
        person = member.person_id
        found = []
        for item in self.items("employment", person=person):
            kind = item.get("kind")
            if kind == "employed":
                text = _("works at %(employer)s, %(wage)s a month") % {
                    "employer": item.get("detail") or "—", "wage": _money(item.get("amount"))}
            elif kind == "job_seeker":
                text = _("registered job seeker since %(day)s") % {"day": _day(item.get("on"))}
            elif kind == "insured_job_seeker":
                text = _("registered job seeker since %(day)s, with unemployment insurance of "
                         "%(amount)s a month") % {"day": _day(item.get("on")),
                                                  "amount": _money(item.get("amount"))}
            elif kind == "suitable_jobs_refused":
                text = _("refused %(count)s suitable jobs, the last on %(day)s") % {
                    "count": format_number(_decimal(item.get("amount")) or 0, places=0),
                    "day": _day(item.get("on"))}
            else:
                text = str(kind)
            found.append(text)
        return self.row(f"work-{person}",
                        _("Work or job seeking: %(name)s") % {"name": member.person.full_name},
                        "employment", declared=[], found=found,
                        grounds=self.take_grounds(Ground.IDLE_MEMBER, Ground.REFUSED_JOBS,
                                                  person=person),
                        nothing=_("neither works nor is registered as a job seeker"))

    def valid_reasons(self) -> list[CheckRow]:
        health = [self.about(item, _("impairment of %(percent)s%%") % {
                      "percent": format_number(_decimal(item.get("amount")) or 0, places=0)})
                  for item in self.items("health")]
        study = [self.about(item, _("full-time study at %(institution)s since %(day)s") % {
                     "institution": item.get("detail") or "—", "day": _day(item.get("on"))})
                 for item in self.items("education")]
        absences = [self.about(item, _("%(absence)s since %(day)s") % {
                        "absence": _label(AbsenceKind, item.get("kind")),
                        "day": _day(item.get("on"))})
                    for item in self.items("civil_registry", *AbsenceKind.values)]
        return [
            self.row("health", _("Valid reason: disability"), "health", declared=[],
                     found=health, grounds=[], info=True),
            self.row("education", _("Valid reason: full-time study"), "education",
                     declared=[], found=study, grounds=[], info=True),
            self.row("absences", _("Valid reason: imprisoned or missing"), "civil_registry",
                     declared=[], found=absences, grounds=[], info=True),
        ]

    def visit(self) -> CheckRow | None:
        grounds = self.take_grounds(Ground.ASSESSMENT)
        assessment = self.assessment
        if assessment is None and not grounds:
            return None
        confirmed = sum(1 for member in self.members if member.confirmed)
        declared = [_("%(count)s living in the household") % {"count": confirmed}]
        found = []
        if assessment is not None and assessment.matches_declaration is not None:
            found.append(_("%(count)s found living there") % {
                "count": assessment.members_present})
            found.append(_("conditions agree with the declaration")
                         if assessment.matches_declaration
                         else _("conditions disagree with the declaration"))
        row = CheckRow(key="visit", title=_("Home visit"),
                       source=source_title(ASSESSMENT_SOURCE), declared=declared,
                       grounds=grounds)
        signed = assessment is not None and assessment.signed_at is not None
        if grounds:
            row.result = GROUND
        elif not signed:
            row.result = PENDING
        row.found = found or [_("not visited yet")]
        return row

    def rest(self) -> CheckRow | None:
        """Any discrepancy no row above took: never left out of the report."""
        if not self.unplaced:
            return None
        grounds = [self.shown(discrepancy) for discrepancy in self.unplaced]
        self.unplaced = []
        return CheckRow(key="other", title=_("Other grounds"), source="", grounds=grounds,
                        found=[], result=GROUND)


def cross_check_report(case: Case, *, members: list[CaseMember],
                       discrepancies: list[Discrepancy], names: Mapping[int, str],
                       assessment: Assessment | None = None) -> list[CheckRow]:
    """The report's rows, in the order of the law's grounds: income, business, household,
    vehicles, real estate, large purchases and sales, utilities, each member's work, the
    valid reasons, the home visit. Every discrepancy is shown in one row."""
    report = _Report(case, members, discrepancies, names, assessment)
    rows = [report.income(), report.business(), report.household(), report.vehicles(),
            report.real_estate(), report.transactions(), report.utilities()]
    rows += [report.work(member) for member in members if member.confirmed]
    rows += report.valid_reasons()
    rows += [row for row in (report.visit(), report.rest()) if row is not None]
    return rows


def people_in_findings(findings: Findings) -> set[int]:
    """The ids of the people the sources' answers name."""
    ids = set()
    for items in findings.values():
        for item in items or []:
            person = item.get("person")
            if isinstance(person, int):
                ids.add(person)
    return ids


def waiting_titles(case: Case) -> list[StrOrPromise]:
    """The sources a waiting case is waiting for, in words."""
    return [source_title(code) for code in case.waiting_for or []]


@dataclass(frozen=True)
class DecisionShown:
    """A decision-log entry as staff read it: who decided in words, and the reason given."""

    entry: Any
    decided_by: str
    reason: str


def official_ids(decided_by: Iterable[str]) -> set[int]:
    """The users named by ``official:<id>`` among the entries' deciders."""
    ids = set()
    for who in decided_by:
        prefix, _sep, rest = who.partition(":")
        if prefix == "official" and rest.isdigit():
            ids.add(int(rest))
    return ids


def decision_rows(entries: Iterable[Any], officials: Mapping[int, str]) -> list[DecisionShown]:
    rows = []
    for entry in entries:
        prefix, _sep, rest = entry.decided_by.partition(":")
        if prefix == "official" and rest.isdigit():
            who = officials.get(int(rest), entry.decided_by)
        elif prefix == "rule":
            who = _("the system (rule %(rule)s)") % {"rule": rest}
        else:
            who = entry.decided_by
        details = entry.details if isinstance(entry.details, dict) else {}
        rows.append(DecisionShown(entry, who, str(details.get("reason") or "")))
    return rows
