"""Rule data: the one way the modules read their rule files (pure: standard library).

A module's rules ship as TOML files in its ``rules/`` folder. A bureau changes them
without code by putting a file of the same name into its folder for that module
(``<FAZHI_RULES_DIRS entry>/<module>/``): the shipped file is read first, then each
of the bureau's folders in turn, and an entry with the same id or code replaces the
shipped entry whole while a new one is added (``merged_entries``). A few files are
replaced whole (``read_replaced``: the last folder's copy wins) or key by key
(``merge_keys``) instead; each loader says which.

- ``RuleFileError``  the one error: its message names the file and the key
- ``Table``          a table with typed readers (text, decimal, integer, flag, date,
                     lists, choices) and the file's [law] as a ``Citation``
- ``Citation``       law, version, article, source, and the ``Standing`` staff see
- ``Adoption``       a document the bureau adopted for a rule file (``adoption_of``
                     reads ``adopted.toml`` from the bureau's folders); instruments
                     cite it, never a preset
- ``standing_words`` the one wording of a rule's standing staff read
- ``cached``         the one cache, keyed by loader and folders, fresh while the
                     files it read are unchanged (see ``cache`` for the decision);
                     ``checked_once`` checks them once per request
"""

from fazhi.core.ruledata.cache import (
    RULES,
    RuleCache,
    cached,
    checked_once,
    forget_checks,
    once,
)
from fazhi.core.ruledata.citation import Adoption, Citation, Standing, standing_words
from fazhi.core.ruledata.errors import RuleFileError
from fazhi.core.ruledata.files import (
    ADOPTED,
    adoption_of,
    all_rule_files,
    merge_by_id,
    merge_keys,
    merged_entries,
    read_replaced,
    read_table,
    read_toml,
    rule_files,
    rule_folders,
)
from fazhi.core.ruledata.table import CITE_OVERRIDES, CODE, Table, to_decimal

__all__ = [
    "ADOPTED",
    "CITE_OVERRIDES",
    "CODE",
    "RULES",
    "Adoption",
    "Citation",
    "RuleCache",
    "RuleFileError",
    "Standing",
    "Table",
    "adoption_of",
    "all_rule_files",
    "cached",
    "checked_once",
    "forget_checks",
    "merge_by_id",
    "merge_keys",
    "merged_entries",
    "once",
    "read_replaced",
    "read_table",
    "read_toml",
    "rule_files",
    "rule_folders",
    "standing_words",
    "to_decimal",
]
