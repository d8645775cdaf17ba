"""Splitting Redshift SQL text into statements that remember the line they start on."""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot.tokens import Token, TokenType

DIALECT = "redshift"


@dataclass(frozen=True)
class SqlStatement:
    sql: str
    source: str  # "<file>:<line>" of the statement's first token, for errors a person can follow
    line: int = 1

    def located(self, line_in_statement: int) -> str:
        """The `<file>:<line>` of a line counted from this statement's first line (1-based)."""
        file = self.source.rsplit(":", 1)[0]
        return f"{file}:{self.line + line_in_statement - 1}"


def tokenize(sql: str) -> list[Token]:
    return sqlglot.tokenize(sql, read=DIALECT)


def split_statements(text: str, file: str = "<sql>", first_line: int = 1) -> list[SqlStatement]:
    """Statements of `text` without their terminating semicolons; comments between them dropped."""
    statements: list[SqlStatement] = []
    chunk: list[Token] = []
    for token in [*tokenize(text), None]:
        if token is not None and token.token_type != TokenType.SEMICOLON:
            chunk.append(token)
            continue
        if chunk:
            line = first_line + chunk[0].line - 1
            sql = text[chunk[0].start : chunk[-1].end + 1]
            statements.append(SqlStatement(sql=sql, source=f"{file}:{line}", line=line))
        chunk = []
    return statements
