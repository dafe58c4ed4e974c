#!/usr/bin/env python3
"""Writes the site's exercise pages (docs/exercises/*.md and toc.yml) from the exercise projects: each exercise's text
is its method's doc comment in CHAPTER/Exercises.cs, and what is checked is its tests' display names in CHAPTER/Tests.cs.
With --check it writes nothing and fails if a page differs from what it would write (CI runs that)."""
import html, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
# The chapters in the course's order: folder, title, the article it follows.
chapters = [
    ("forward-propagation", "Neurons, weights and forward propagation", "forward-propagation.md"),
    ("activation-functions", "Activation functions", "activation-functions.md"),
    ("loss-functions", "Loss functions", "loss-functions.md"),
    ("gradient-descent", "Gradient descent and the learning rate", "gradient-descent.md"),
    ("backpropagation", "Backpropagation", "backpropagation.md"),
    ("convolution", "Convolution", "convolution.md"),
    ("overfitting", "Overfitting and regularization", "overfitting.md"),
]


def plain(doc):
    text = " ".join(line.strip() for line in doc)
    text = re.sub(r"</?summary>", "", text)
    text = re.sub(r'<paramref name="([^"]+)"/>', r"`\1`", text)
    text = re.sub(r"<c>(.*?)</c>", r"`\1`", text)
    return html.unescape(text).strip()


def exercises(folder):
    source = open(os.path.join(here, folder, "Exercises.cs"), encoding="utf-8").read()
    tests = open(os.path.join(here, folder, "Tests.cs"), encoding="utf-8").read()
    found = []
    for m in re.finditer(r"((?:[ \t]*///[^\n]*\n)+)[ \t]*public static (.*?)\n[ \t]*\{", source, re.S):
        doc = [re.sub(r"^\s*/// ?", "", l) for l in m.group(1).strip("\n").split("\n")]
        text = plain(doc)
        number = re.match(r"Exercise (\d+)\. ", text)
        if not number:
            continue
        signature = " ".join(m.group(2).split())
        checks = re.findall(rf'DisplayName = "Exercise {number.group(1)}: ([^"]*)"', tests)
        found.append((int(number.group(1)), text[len(number.group(0)):], signature, checks))
    return found


def wrap(text, width=118):
    words, lines, line = text.split(" "), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return "\n".join(lines + [line])


pages = {}
index = ["# Exercises", "",
         wrap("Reading is not learning: each chapter of the course has exercises to do. Each is a method to write, in a "
              "small project under the repository's `docs/exercises` folder, with tests that say when it is right — "
              "by numbers worked by hand, by finite differences, or against the library itself."), "",
         "In a clone of the repository, pick a chapter, open its `Exercises.cs`, replace each `throw` with your code, "
         "and run", "its tests:", "", "```bash", "dotnet test docs/exercises/gradient-descent", "```", "",
         wrap("Every test fails until its exercise is written. When they all pass, compare with the reference solution "
              "in `docs/exercises/solutions`, which CI runs the same tests against, so every exercise is known to be "
              "solvable (`dotnet test docs/exercises/Exercises.slnx -p:Solutions=true`). For a teacher: give a "
              "chapter's folder as an assignment, and its tests as the marking."), "",
         "| chapter | exercises | after the article |", "|---|---|---|"]
toc = []
total = 0
for folder, title, article in chapters:
    found = exercises(folder)
    total += len(found)
    first, last = found[0][0], found[-1][0]
    index.append(f"| [{title}]({folder}.md) | {first}–{last} | [{title}](../articles/{article}) |")
    toc.append(f"- name: {title}\n  href: {folder}.md")
    lines = [f"# Exercises: {title.lower() if title != 'Backpropagation' else title}", "",
             wrap(f"After the article [{title}](../articles/{article}). The project is `docs/exercises/{folder}`: "
                  f"write each method in its `Exercises.cs`, then run its tests."), "",
             "```bash", f"dotnet test docs/exercises/{folder}", "```", ""]
    for number, text, signature, checks in found:
        name = re.search(r"(\w+)\(", signature).group(1)
        lines += [f"## Exercise {number}: `{name}`", "", wrap(text), "", "```csharp"]
        code = f"public static {signature}"
        if len(code) > 90:
            at = code.index(name + "(") + len(name) + 1
            params, depth, part = [], 0, ""
            for ch in code[at:]:
                depth += ch in "(<[" and 1 or ch in ")>]" and -1 or 0
                if ch == "," and depth == 0:
                    params.append(part.strip())
                    part = ""
                else:
                    part += ch
            params.append(part.strip())
            one_line = "    " + ", ".join(params)
            code = code[:at] + "\n" + (one_line if len(one_line) <= 90 else ",\n".join("    " + q for q in params))
        lines += [code, "```", "", "The tests check:", ""] + [f"- {c}" for c in checks] + [""]
    lines += [f"The reference solution: `docs/exercises/solutions/{folder}/Exercises.cs`.", ""]
    pages[f"{folder}.md"] = "\n".join(lines)
index[2] = index[2]
index += ["", f"{total} exercises in {len(chapters)} chapters.", ""]
pages["index.md"] = "\n".join(index)
pages["toc.yml"] = "- name: Exercises\n  href: index.md\n" + "\n".join(toc) + "\n"

check = "--check" in sys.argv
stale = []
for name, text in pages.items():
    path = os.path.join(here, name)
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if old != text:
        stale.append(name)
        if not check:
            open(path, "w", encoding="utf-8").write(text)
if check and stale:
    sys.exit(f"docs/exercises: {', '.join(stale)} differ from the exercise projects; run python3 docs/exercises/make-pages.py")
print(f"docs/exercises: {len(pages)} pages, {total} exercises" + (f" ({len(stale)} written)" if not check else ", up to date"))
