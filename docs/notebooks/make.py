#!/usr/bin/env python3
"""Makes one C# notebook (Polyglot Notebooks, .NET Interactive kernel) per article in docs/articles.

Each notebook is its article: the prose as Markdown cells, every C# block as a code cell, in the same order, after one
cell that references the DeepLearning package (nuget.config here points at the local folder artifacts/packages). Run it after editing an
article; CI runs it too and fails when a notebook differs from its article.

Usage: python3 docs/notebooks/make.py [OUTPUT_DIR]   (default: docs/notebooks)
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "docs" / "articles"
VERSION = re.search(r"<Version>(.*?)</Version>", (ROOT / "Directory.Build.props").read_text()).group(1)


def articles_in_order():
    """The articles as the site's table of contents lists them."""
    return [ARTICLES / name for name in re.findall(r"href: ([\w-]+\.md)", (ARTICLES / "toc.yml").read_text())]


def markdown_for_notebook(text):
    """An article's Markdown as a notebook shows it: links to articles go to their notebooks, API links become names."""
    text = re.sub(r"<!--.*?-->\n?", "", text)
    text = re.sub(r"\[([^\]]+)\]\(xref:[^)]+\)", r"`\1`", text)
    text = re.sub(r"\]\(([\w-]+)\.md\)", r"](\1.ipynb)", text)
    text = re.sub(r"\]\(\.\./([\w-]+\.md)\)", r"](../\1)", text)
    return text.strip("\n")


def cell_source(text):
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + [lines[-1]]


def markdown_cell(text):
    return {"cell_type": "markdown", "metadata": {}, "source": cell_source(text)}


def code_cell(text):
    return {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}},
        "outputs": [],
        "source": cell_source(text),
    }


def notebook(article):
    cells = [
        markdown_cell(
            "The library as a package. `nuget.config` next to this notebook adds the repository's `artifacts/packages` "
            "folder as a package source: fill it once with `dotnet pack src/DeepLearning -c Release -o artifacts/packages`."),
        code_cell(f'#r "nuget: DeepLearning, {VERSION}"\n\n'
                  "// The namespaces a new console project imports without asking (its implicit usings):\n"
                  "// the articles' programs rely on them, as they would in Program.cs.\n"
                  "using System.IO;\nusing System.Net.Http;\nusing System.Threading;"),
    ]
    prose = []
    lines = article.read_text().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("<!-- notebook:"):
            # A cell only the notebook has (a picture drawn inline, say): hidden on the site, run in the notebook.
            start = lines.index("```notebook-csharp", i)
            end = lines.index("```", start + 1)
            if "".join(prose).strip():
                cells.append(markdown_cell(markdown_for_notebook("\n".join(prose))))
            prose = []
            cells.append(code_cell("\n".join(lines[start + 1:end])))
            i = lines.index("-->", end) + 1
        elif lines[i].startswith("```csharp"):
            end = lines.index("```", i + 1)
            if "".join(prose).strip():
                cells.append(markdown_cell(markdown_for_notebook("\n".join(prose))))
            prose = []
            cells.append(code_cell("\n".join(lines[i + 1:end])))
            i = end + 1
        else:
            prose.append(lines[i])
            i += 1
    if "".join(prose).strip():
        cells.append(markdown_cell(markdown_for_notebook("\n".join(prose))))
    for index, cell in enumerate(cells):
        cell["id"] = f"{article.stem}-{index}"[:64]    # nbformat 4.5 cell ids, stable from one run to the next
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
            "language_info": {"name": "polyglot-notebook"},
            "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"name": "csharp"}]}},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def main():
    output = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "notebooks"
    output.mkdir(parents=True, exist_ok=True)
    for article in articles_in_order():
        if "```csharp" not in article.read_text():
            continue
        path = output / (article.stem + ".ipynb")
        path.write_text(json.dumps(notebook(article), indent=1, ensure_ascii=False) + "\n")
        print(path.relative_to(output.parent) if output.parent in path.parents else path)


if __name__ == "__main__":
    main()
