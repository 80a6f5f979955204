"""The public contract: transaction in, determination out.

Field names and enums follow ``contract/transaction.schema.json`` and
``contract/determination.schema.json`` exactly; a test compares the JSON Schema these
models emit with those files so the two cannot drift. dualuse may add fields, never rename
or drop the fixed ones.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from dualuse.errors import FieldProblem, InputError

CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2.")]


class Mode(StrEnum):
    """Which reading of the rules: as the authority applies them, or as written."""

    enforced = "enforced"
    codified = "codified"


class Language(StrEnum):
    en = "en"
    ko = "ko"


class Activity(StrEnum):
    export = "export"
    reexport = "reexport"
    transfer = "transfer"
    purchase = "purchase"
    remote_access = "remote_access"


class Verdict(StrEnum):
    """Overall answers, from least to most restrictive."""

    no_license_required = "no_license_required"
    authorized = "authorized"
    license_required = "license_required"
    prohibited = "prohibited"

    @property
    def severity(self) -> int:
        return _VERDICT_ORDER[self]

    @classmethod
    def most_restrictive(cls, verdicts: list[Verdict]) -> Verdict:
        return max(verdicts, key=lambda v: v.severity, default=cls.no_license_required)


_VERDICT_ORDER = {v: i for i, v in enumerate(Verdict)}


class ReviewPolicy(StrEnum):
    presumption_of_approval = "presumption_of_approval"
    case_by_case = "case_by_case"
    presumption_of_denial = "presumption_of_denial"


# --------------------------------------------------------------------------- transaction


class _Open(BaseModel):
    """Callers may add fields (the schema allows it); they are kept, not interpreted."""

    model_config = ConfigDict(extra="allow", frozen=True)


class Owner(_Open):
    """A holder of shares in a party, for the Entity List's 50 % rule (90 FR 47201)."""

    name: str = Field(min_length=1)
    share: float = Field(gt=0, le=100, description="Percent of the party held, 0-100.")
    country: CountryCode | None = None
    owners: list[Owner] = Field(
        default_factory=list, description="Who owns this owner: indirect ownership."
    )

    @model_validator(mode="after")
    def _shares_add_up(self) -> Owner:
        _check_shares(self.owners)
        return self


def _check_shares(owners: list[Owner]) -> None:
    total = sum(o.share for o in owners)
    if total > 100.0001:
        raise ValueError(f"owners' shares add up to {total:g} %, more than 100 %")


class Party(_Open):
    name: str = Field(min_length=1)
    country: CountryCode | None = None
    headquarters: CountryCode | None = Field(
        default=None, description="Defaults to `country` when absent."
    )
    parent_headquarters: CountryCode | None = None
    type: str | None = Field(
        default=None,
        description="e.g. commercial, data_center, cloud_provider, government, military, "
        "research, ciio (critical information infrastructure operator).",
    )

    identifiers: dict[
        Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,31}$")],
        Annotated[str, Field(min_length=1, max_length=100)],
    ] = Field(
        default_factory=dict,
        description="Registry identifiers, scheme to value (e.g. lei, duns, gstin, uscc). "
        "Normalised and remembered by the ledger, so that orders naming the party differently "
        "but with the same identifier draw on one account.",
    )
    veu: Literal["UVEU", "NVEU"] | None = Field(
        default=None, description="Data Center VEU held by this party (AI Diffusion rule)."
    )
    veu_total_tpp: float | None = Field(
        default=None, ge=0, description="UVEU holder's total installed AI compute, in TPP."
    )
    veu_country_tpp: float | None = Field(
        default=None, ge=0, description="UVEU holder's compute already in the destination, TPP."
    )
    address: str | None = Field(
        default=None, description="Supporting evidence when the party is screened."
    )
    owners: list[Owner] = Field(
        default_factory=list,
        description="Who holds shares in the party, directly (and through `owners` of an "
        "owner, indirectly): read by the Entity List's 50 % rule.",
    )

    @model_validator(mode="after")
    def _shares_add_up(self) -> Party:
        _check_shares(self.owners)
        return self

    @property
    def effective_headquarters(self) -> str | None:
        return self.headquarters or self.country


class Parties(_Open):
    exporter: Party | None = None
    purchaser: Party | None = None
    consignee: Party | None = None
    end_user: Party | None = None

    def named(self) -> list[tuple[str, Party]]:
        roles = ("exporter", "purchaser", "consignee", "end_user")
        return [(r, p) for r in roles if (p := getattr(self, r)) is not None]


class IcSpecs(_Open):
    """An integrated circuit described inline: dense peak throughput per bit length."""

    kind: Literal["ic"] = "ic"
    name: str = "inline IC"
    vendor: str | None = None
    tops: dict[int, float] = Field(
        description="Dense (non-sparse) peak TOPS/TFLOPS keyed by bit length, e.g. {8: 1978.9}."
    )
    die_area_mm2: float | None = Field(default=None, gt=0)
    datacenter: bool | None = Field(
        default=None,
        description="Designed or marketed for use in datacenters; unknown is treated as yes.",
    )
    interconnect_gbs: float | None = Field(default=None, ge=0)
    memory_bandwidth_gbs: float | None = Field(default=None, ge=0)

    @field_validator("tops")
    @classmethod
    def _throughput_given(cls, value: dict[int, float]) -> dict[int, float]:
        if not value:
            raise ValueError("an IC needs at least one dense throughput figure per bit length")
        for bits, peak in value.items():
            if bits <= 0:
                raise ValueError(f"bit length must be positive, got {bits}")
            if peak < 0:
                raise ValueError(f"throughput at {bits} bits must not be negative, got {peak}")
        if not any(peak > 0 for peak in value.values()):
            raise ValueError("an IC needs at least one positive throughput figure")
        return value


class HbmSpecs(_Open):
    """A high-bandwidth-memory stack described inline (ECCN 3A090.c)."""

    kind: Literal["hbm"]
    name: str = "inline HBM stack"
    memory_bandwidth_gbs: float = Field(gt=0)
    package_area_mm2: float = Field(gt=0)


class Component(_Open):
    """One kind of IC inside a system."""

    catalog: str | None = None
    specs: IcSpecs | None = None
    count: int = Field(gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Component:
        if (self.catalog is None) == (self.specs is None):
            raise ValueError("a component needs exactly one of `catalog` or `specs`")
        return self


class SystemSpecs(_Open):
    """A computer, server or assembly described inline by the ICs it contains (4A090)."""

    kind: Literal["system"]
    name: str = "inline system"
    contains: list[Component] = Field(min_length=1)


class MaterialSpecs(_Open):
    """A mineral, metal, compound or product described by substance and form (China's lists)."""

    kind: Literal["material"]
    name: str = "inline material"
    substance: str = Field(min_length=1, description="e.g. gallium, germanium, graphite.")
    form: str | None = Field(default=None, description="e.g. metal, oxide, nitride.")
    vendor: str | None = None

    @field_validator("substance", "form")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return None if value is None else value.strip().lower().replace(" ", "_")


EquipmentProcess = Literal[
    "lithography",
    "deposition",
    "etch",
    "cleaning",
    "annealing",
    "inspection",
    "metrology",
    "other",
]


class EquipmentSpecs(_Open):
    """Semiconductor-manufacturing equipment, by process step and technology."""

    kind: Literal["equipment"]
    name: str = "inline equipment"
    vendor: str | None = None
    process: EquipmentProcess
    technology: str = Field(
        default="generic", description="e.g. euv, immersion_duv, dry_duv, metrology, generic."
    )
    model: str | None = None


class MemorySpecs(_Open):
    """Plain memory (DRAM, NAND) — relevant to procurement bans, not to 3A090."""

    kind: Literal["memory"]
    name: str = "inline memory"
    vendor: str = Field(min_length=1)
    memory_type: Literal["dram", "nand", "other"] = "dram"


class ModelWeightsSpecs(_Open):
    """The parameters (weights) of an AI model (ECCN 4E091 under the AI Diffusion rule)."""

    kind: Literal["model_weights"]
    name: str = "inline model weights"
    training_operations: float = Field(
        gt=0, description="Operations used to train the model, fine-tuning included."
    )
    published: bool = Field(default=False, description="Open weights (15 CFR 734.7(a)).")


Specs = Annotated[
    IcSpecs
    | HbmSpecs
    | SystemSpecs
    | MaterialSpecs
    | EquipmentSpecs
    | MemorySpecs
    | ModelWeightsSpecs,
    Field(discriminator="kind"),
]

FabUse = Literal["maintain_existing", "capacity_expansion", "technology_upgrade"]


class Item(_Open):
    catalog: str | None = Field(
        default=None, description="Catalog id, vendor/model slug, e.g. nvidia/h100-sxm."
    )
    specs: Specs | None = None
    quantity: float = Field(gt=0)
    unit: str = "units"
    origin: CountryCode | None = Field(
        default=None,
        description="Country of production. For a US-designed item it never loosens the "
        "answer inside a foreign-direct-product rule's scope.",
    )
    us_technology: bool | None = Field(
        default=None,
        description="The item is a direct product of US-origin technology or software "
        "(the product prong of the foreign-direct-product rules, 15 CFR 734.9). Absent: the "
        "vendor's documented default, stated as a warning.",
    )
    us_tools: bool | None = Field(
        default=None,
        description="The item was made by a plant, or a major component of one, that is a "
        "direct product of US-origin technology or software (the plant prong). Absent: the "
        "vendor's documented default.",
    )
    us_content_percent: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Share of a foreign-made item's value that is controlled US-origin "
        "content, for the de minimis rules (15 CFR 734.4).",
    )
    value_usd: float | None = Field(default=None, ge=0)
    fab_use: FabUse | None = Field(
        default=None,
        description="For tools shipped to a fab: keeping existing operations running, or "
        "adding capacity, or upgrading its technology.",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_kind(cls, data: Any) -> Any:
        # The contract lets an IC omit kind=ic; the discriminator needs it spelled out.
        if isinstance(data, dict) and isinstance(data.get("specs"), dict):
            specs = data["specs"]
            if "kind" not in specs:
                data = {**data, "specs": {**specs, "kind": "ic"}}
        return data

    @model_validator(mode="after")
    def _exactly_one(self) -> Item:
        if (self.catalog is None) == (self.specs is None):
            raise ValueError("an item needs exactly one of `catalog` or `specs`")
        return self


class Transaction(_Open):
    id: str | None = Field(default=None, description="Caller's reference; echoed back.")
    date: dt.date
    mode: Mode = Mode.enforced
    scenario: str | None = None
    jurisdictions: list[str] | None = None
    language: Language = Language.en
    activity: Activity = Activity.export
    ship_from: CountryCode
    destination: CountryCode
    destination_region: Literal["crimea", "donetsk", "luhansk"] | None = Field(
        default=None,
        description="Region of the destination that the law treats apart from its country: "
        "the covered regions of Ukraine (15 CFR 746.6). Only with destination UA.",
    )
    end_use: str | None = None
    training_operations: float | None = Field(
        default=None,
        gt=0,
        description="For remote access: operations of the model the customer will train.",
    )
    parties: Parties = Field(default_factory=Parties)
    items: list[Item] = Field(min_length=1)

    @model_validator(mode="after")
    def _region_in_destination(self) -> Transaction:
        if self.destination_region is not None and self.destination != "UA":
            raise ValueError(
                f"destination_region {self.destination_region!r} is a region of Ukraine; "
                f"the destination is {self.destination!r}, not 'UA'"
            )
        return self


# ------------------------------------------------------------------------- determination


class _Output(BaseModel):
    """Output models: every field is always present in what dualuse returns."""

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)


class Reason(_Output):
    # Frozen: a rendered reason is shared by every determination that gives it.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True, frozen=True)

    code: str
    message: str
    citation: str | None = None


class Classification(_Output):
    # Frozen: one instance per (item, rulebook) is shared by every determination.
    model_config = ConfigDict(json_schema_serialization_defaults_required=True, frozen=True)

    control_code: str
    tpp: float | None = None
    pd: float | None = None
    paragraphs: list[str] = Field(default_factory=list)
    h100_equivalents: float | None = None
    memory_bandwidth_density: float | None = None
    rulebook: str | None = Field(default=None, description="Rulebook version that classified.")


class ItemResult(_Output):
    item: str | None = Field(default=None, description="Catalog id or inline name.")
    quantity: float | None = None
    classification: Classification | None = None
    verdict: Verdict | None = None
    authorization: str | None = None
    review_policy: ReviewPolicy | None = None
    reasons: list[Reason] = Field(default_factory=list)


class QuotaEffect(_Output):
    account: str
    unit: str
    limit: float
    used_before: float
    requested: float
    remaining_after: float | None = None
    status: Literal["draws", "exceeded"] = Field(
        default="draws", description="draws: this order fits and draws it; exceeded: it does not."
    )
    provision: str | None = Field(default=None, description="Rule that defines the account.")
    holder: str | None = Field(
        default=None,
        description="Whose account: the party as named in the order and the identity its "
        "name was normalised to, so that differently written names draw on one account.",
    )


class JurisdictionResult(_Output):
    jurisdiction: str
    applies: bool
    rulebooks: list[str] = Field(default_factory=list)
    verdict: Verdict | None = None
    authorization: str | None = None
    review_policy: ReviewPolicy | None = None
    authorities: list[str] = Field(
        default_factory=list,
        description="Where a licence must be sought, e.g. [BIS, OFAC] for Iran; empty when "
        "none is needed.",
    )
    items: list[ItemResult] = Field(default_factory=list)
    quota: list[QuotaEffect] = Field(default_factory=list)
    obligations: list[Reason] = Field(default_factory=list)
    reasons: list[Reason] = Field(min_length=1)


class ScreeningReview(_Output):
    """An officer's decision on a possible match, kept in the journal."""

    decision: Literal["true_match", "false_positive"]
    reason: str
    actor: str
    seq: int = Field(description="Journal entry that recorded it.")
    entry_version: str
    current: bool = Field(
        description="False when the list entry has changed since: the decision is shown "
        "but the hit is raised again."
    )


class ScreeningHit(_Output):
    list_id: str = Field(description="entity_list, meu, uvl, dpl or another list's id.")
    entry_id: str
    entry_version: str
    entry_name: str
    entry_country: str | None = None
    matched_name: str = Field(description="The listed name or alias the party matched.")
    score: float
    status: Literal["match", "possible_match"]
    effect: bool = Field(
        description="True when the hit carries the list's legal effect in this "
        "determination: a match not cleared, or a possible match confirmed."
    )
    explanation: list[str] = Field(default_factory=list)
    license_requirement: str | None = None
    review_policy: ReviewPolicy | None = None
    review_policy_text: str | None = Field(
        default=None, description="The policy as the list states it, when it has one."
    )
    footnotes: list[int] = Field(default_factory=list)
    listed: dt.date | None = None
    citation: str
    snapshot: str
    review: ScreeningReview | None = None


class PartyScreening(_Output):
    role: str
    name: str
    country: str | None = None
    via: str | None = Field(
        default=None, description="For an owner: the party (and chain) it owns."
    )
    share: float | None = Field(default=None, description="For an owner: its share, percent.")
    hits: list[ScreeningHit] = Field(default_factory=list)


class Screening(_Output):
    date: dt.date
    snapshots: list[str] = Field(description="List snapshots the screening read.")
    match_threshold: float
    possible_threshold: float
    parties: list[PartyScreening] = Field(default_factory=list)


class JournalEntryRef(_Output):
    """Where a committed determination sits in the audit journal."""

    seq: int = Field(description="Entry number in the journal.")
    hash: str = Field(description="The entry's SHA-256 chain hash.")
    recorded_at: str
    actor: str
    idempotency_key: str | None = None
    replayed: bool = Field(
        default=False,
        description="True when the idempotency key had been used: the first result is "
        "returned and nothing is drawn again.",
    )


class Determination(_Output):
    transaction_id: str | None = None
    date: dt.date
    mode: Mode
    scenario: str | None = None
    verdict: Verdict
    jurisdictions: list[JurisdictionResult]
    warnings: list[Reason] = Field(default_factory=list)
    hypothetical: bool = Field(
        default=False, description="True when a scenario overlay marked hypothetical was used."
    )
    journal: JournalEntryRef | None = Field(
        default=None, description="Set when the determination was committed to the ledger."
    )
    screening: Screening | None = Field(
        default=None,
        description="Every party (exporter aside) and owner screened against the restricted-"
        "party lists as they stood on the date, and the snapshots read.",
    )


# ---------------------------------------------------------------------------- case files


class CaseFile(BaseModel):
    """A test case: a transaction and the partial determination the law requires."""

    model_config = ConfigDict(extra="forbid")

    name: str
    source: str = Field(min_length=1, description="Where the expected answer comes from.")
    transaction: Transaction
    expect: dict[str, Any]
    expect_warnings: list[str] = Field(
        default_factory=list, description="Warning codes the determination must include."
    )
    expect_citations: list[str] = Field(
        default_factory=list,
        description="Each must appear in the citation of some reason or obligation: proof "
        "that the rule the source names is the one applied.",
    )


# ------------------------------------------------------------------------------ parsing


_SPEC_KINDS = {"ic", "hbm", "system", "material", "equipment", "memory", "model_weights"}


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in _SPEC_KINDS or part.startswith("function-"):
            continue  # discriminator branches and validator names are noise to a user
        else:
            out += ("." if out else "") + part
    return out or "transaction"


def problems_from(error: ValidationError, prefix: str = "") -> list[FieldProblem]:
    problems = []
    for err in error.errors():
        where = _location(tuple(err["loc"]))
        if prefix:
            where = f"{prefix}.{where}" if where != "transaction" else prefix
        if err["type"] == "missing":
            problems.append(FieldProblem(where, None, "required field is missing", missing=True))
            continue
        message = err["msg"].removeprefix("Value error, ")
        problems.append(FieldProblem(where, err.get("input"), message))
    return problems


def parse_transaction(data: Any, where: str = "") -> Transaction:
    """Validate raw input into a :class:`Transaction`, checking references too.

    Raises :class:`InputError` naming every bad field and value.
    """
    if not isinstance(data, dict):
        raise InputError.single(where or "transaction", type(data).__name__, "expected an object")
    try:
        tx = Transaction.model_validate(data)
    except ValidationError as exc:
        from dualuse.validation import raw_reference_problems

        problems = problems_from(exc, where)
        flagged = {p.field for p in problems}
        problems += [p for p in raw_reference_problems(data, where) if p.field not in flagged]
        raise InputError(problems) from None
    from dualuse.validation import check_references

    check_references(tx, where)
    return tx
