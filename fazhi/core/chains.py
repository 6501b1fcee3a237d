"""Approval chains as rule data, and who may sign next (pure: no Django).

A chain is the order of sign-offs a decision needs inside the bureau before it
goes out: 承办 (the person handling the matter proposes) → 审核 (the section head
checks) → 批准 (the principal approves). Each module writes its chains in
``rules/approvals.toml``; a bureau changes one without code by putting a file of
the same name into ``<FAZHI_RULES_DIRS entry>/<module>/`` — an entry with the same
code replaces the shipped one whole, a new code is added. A chain may have
variants: ``permit.decision.planning_verification`` is the chain of that permit
kind, ``permit.decision`` the chain of every other kind (``Chains.get``).

``judge`` answers the one question every path asks before a sign-off is stored:
may this person sign the next step of this round now? The rules, the same for
web, API and command line: steps in order; only the step's role; nobody signs
their own proposal or a step after one they signed in the same round; nothing
after a 不同意 (the round is over, the matter is back with the proposer) or once
every step agreed.

File shape (``approvals.toml``)::

    [law]                     # the law most chains of the file rest on
    name = "中华人民共和国行政许可法"
    version = "2019年修正"
    source = "where the text was read"

    [[chain]]
    code = "permit.decision"  # module.what, optionally .variant
    label = "行政许可决定审批"
    article = "第三十七条"    # where the law requires or allows the sign-offs
    gist = "按照规定程序作出行政许可决定"
    standing = "preset"       # optional: law, province, bureau, preset
    steps = [
      { code = "undertake", label = "承办", role = "window_clerk" },
      { code = "review", label = "审核", role = "section_head" },
      { code = "approve", label = "批准", role = "principal" },
    ]
    actions = ["approve_filing"]   # optional: the state-table actions the last
                                   # step's signer takes (checked against the table)

An entry may cite another law than the file's [law] with ``law``/``version``/
``source``. The first step is the proposal; a chain has at least one more.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from fazhi.core.role_names import ROLE_LABELS
from fazhi.core.ruledata import (
    CITE_OVERRIDES,
    Citation,
    Table,
    merged_entries,
    rule_files,
)
from fazhi.core.transitions import NotAllowedNow, RoleNotAllowed

FILE_NAME = "approvals.toml"
_CHAIN_KEYS = {"code", "label", "article", "steps"}
_CHAIN_OPTIONAL = {"gist", "standing", "actions", *CITE_OVERRIDES}


# --- errors: the transition kit's two kinds, so one mapping serves both ----------


class NotIndependent(RoleNotAllowed):
    """The person proposed, or already signed an earlier step of, this round."""


class NotYourStep(RoleNotAllowed):
    """The step waiting is another role's."""


class RoundClosed(NotAllowedNow):
    """The round is complete, or was returned: nothing is waiting to be signed."""


# --- the data ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChainStep:
    """One sign-off of a chain: its code, the words printed (承办, 审核, 批准), and
    the role that signs it."""

    code: str
    label: str
    role: str

    @property
    def role_label(self) -> str:
        """The role as staff read it."""
        return ROLE_LABELS[self.role]

    def as_dict(self) -> dict[str, str]:
        """The step as a round keeps it (the round stays as it was proposed)."""
        return {"code": self.code, "label": self.label, "role": self.role}


@dataclass(frozen=True)
class Chain:
    """The sign-offs one decision needs, in order, with the law that asks for them."""

    code: str
    label: str
    steps: tuple[ChainStep, ...]
    basis: Citation
    # State-table actions the last step's signer takes; a module not yet recording
    # its sign-offs through this kit is checked against its table by them.
    actions: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)  # the file it came from

    @property
    def proposer(self) -> ChainStep:
        """The first step: the person who proposes (承办)."""
        return self.steps[0]

    @property
    def signers(self) -> tuple[ChainStep, ...]:
        """The steps after the proposal, in order."""
        return self.steps[1:]

    @property
    def roles(self) -> tuple[str, ...]:
        """Every step's role, in order."""
        return tuple(s.role for s in self.steps)

    @property
    def route(self) -> str:
        """The steps as staff read them: 承办 → 审核 → 批准."""
        return " → ".join(s.label for s in self.steps)


class Chains(dict[str, Chain]):
    """A module's chains by code."""

    def get_for(self, code: str, variant: str = "") -> Chain:
        """The chain ``code.variant`` if the rules name one, else ``code``."""
        if variant and f"{code}.{variant}" in self:
            return self[f"{code}.{variant}"]
        return self[code]


def load_chains(folders: Sequence[Path]) -> Chains:
    """Read ``approvals.toml`` of the first folder (shipped), then of each later
    folder (the bureau's), merged by code."""
    files = rule_files(list(folders), FILE_NAME)
    return Chains(merged_entries(files, "chain", _read_chain, head=_read_head))


def _read_head(top: Table) -> Citation:
    top.keys({"law"}, {"chain"})
    return top.sub("law").law()


def _read_chain(entry: Table, law: Citation) -> Chain:
    entry.keys(_CHAIN_KEYS, _CHAIN_OPTIONAL)
    basis = entry.cite(law)
    basis = replace(basis, gist=entry.text("gist", required=False),
                    standing=entry.standing(default=law.standing))
    raw = entry.get("steps")
    if not isinstance(raw, list) or len(raw) < 2:
        entry.fail("steps 须列出至少两步：第一步为承办（提出意见），其后为审核或批准",
                   "steps")
    steps, seen = [], set()
    for n, item in enumerate(raw, 1):
        table = entry.child(f"steps 第{n}步", item)
        table.keys({"code", "label", "role"})
        step = ChainStep(table.ident("code"), table.text("label"),
                         table.choice("role", tuple(ROLE_LABELS)))
        if step.code in seen:
            table.fail(f"步骤代码 {step.code} 重复", "code")
        seen.add(step.code)
        steps.append(step)
    return Chain(entry.ident("code"), entry.text("label"), tuple(steps), basis,
                 entry.texts("actions"), entry.path)


# --- a round of sign-offs ----------------------------------------------------------


@dataclass(frozen=True)
class Signed:
    """One sign-off already stored in a round: step index, who, and whether they
    agreed (the proposal, step 0, counts as agreeing)."""

    step: int
    signer: int
    agreed: bool = True
    acting_for: int | None = None  # signed by a stand-in: the person acted for

    @property
    def people(self) -> frozenset[int]:
        """Whose sign-off it counts as: the signer's, and the person acted for."""
        return frozenset({self.signer} | ({self.acting_for} - {None}))


def next_step(steps: Sequence[ChainStep], signed: Iterable[Signed]) -> int | None:
    """The index of the step waiting, or None once the round is over (every step
    agreed, or one disagreed)."""
    done = sorted(signed, key=lambda s: s.step)
    if any(not s.agreed for s in done):
        return None
    n = len(done)
    return n if n < len(steps) else None


def judge(steps: Sequence[ChainStep], signed: Iterable[Signed],
          signer: int | Iterable[int], roles: Iterable[str]) -> int:
    """Return the step ``signer`` (holding ``roles``) may sign now, or raise why not.

    Checked in order: a step is waiting (RoundClosed), it is this person's role
    (NotYourStep), and this person has not proposed or signed in the round
    (NotIndependent). A stand-in signs as a set of people, themselves and whoever
    they stand in for: none of them may have proposed or signed in the round, in
    person or through a stand-in (``Signed.acting_for``).
    """
    me = {signer} if isinstance(signer, int) else set(signer)
    signed = list(signed)
    n = next_step(steps, signed)
    if n is None:
        refused = any(not s.agreed for s in signed)
        raise RoundClosed("该审批已退回承办人，须重新提出意见" if refused
                          else "审批流程已完成，没有待签的环节")
    step = steps[n]
    if step.role not in set(roles):
        raise NotYourStep(f"“{step.label}”须由{ROLE_LABELS[step.role]}签署")
    if any(s.people & me for s in signed):
        raise NotIndependent(
            f"“{step.label}”须由他人签署：本人已在本轮审批中提出意见或签署")
    return n


def misfit(chain: Chain, positions: Sequence[Iterable[str]]) -> str:
    """What is wrong with ``chain`` for a module whose states follow its steps
    (``positions``: the roles each step may have, in order), in words; "" if
    nothing. The chain may stop before the last position."""
    if len(chain.steps) > len(positions):
        return f"审批流程“{chain.code}”最多{len(positions)}步，现为{len(chain.steps)}步"
    for n, (step, roles) in enumerate(zip(chain.steps, positions, strict=False)):
        if step.role not in set(roles):
            names = "或".join(ROLE_LABELS[r] for r in roles)
            return f"审批流程“{chain.code}”第{n + 1}步“{step.label}”须由{names}签署"
    return ""
