"""Every module's approval chains: they load, cite the law, and agree with the
state table of the module that still takes the approval as a table action."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.core.chains import load_chains
from fazhi.disclosure import workflow as disclosure
from fazhi.enforcement.cases import workflow as enforcement
from fazhi.permits import workflow as permits

FAZHI = Path(__file__).resolve().parents[2] / "fazhi"
TABLES = {"permits": permits.TABLE, "disclosure": disclosure.TABLE,
          "enforcement": enforcement.TABLE}


@pytest.mark.parametrize("module", sorted(TABLES))
def test_each_chain_cites_its_basis_and_its_last_signer_may_take_its_actions(module):
    chains = load_chains([FAZHI / module / "rules"])
    assert chains
    for chain in chains.values():
        assert chain.basis.law and chain.basis.article, chain.code
        last = chain.steps[-1].role
        for action in chain.actions:
            assert last in TABLES[module].roles_for(action), (chain.code, action)


def test_the_issue_s_chains_are_all_written_down():
    codes = {code for module in TABLES
             for code in load_chains([FAZHI / module / "rules"])}
    assert {"permit.decision", "permit.extension", "permit.complaint",
            "disclosure.extension", "enforcement.filing", "enforcement.legal_review",
            "enforcement.collective_discussion", "enforcement.closure",
            "enforcement.rectification"} <= codes
