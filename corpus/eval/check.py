#!/usr/bin/env python3
"""Check corpus/eval/relevance.tsv against the law corpus.

For each row: the class is known, the query is non-empty and not repeated, and every answer
`《title》第N条` names a law of MANIFEST.tsv (the current version when several files share the
title) and an article that exists in it; no answer is listed twice, none cites a law that
corpus/repealed.tsv marks repealed, and a local regulation (a province's folder under DLC/) is
cited only when the query names its province or city. Prints the rows it flags, the counts per
class and the laws the answers cite; exits 1 when a row is flagged.

Usage: python3 corpus/eval/check.py [RELEVANCE_TSV] [--corpus DIR]
(default corpus: $XUEFA_CORPUS or /work/shared/corpus)
"""

import collections
import os
import re
import sys

CLASSES = ("reference", "keyword", "question", "colloquial", "exam", "run-together")
ARTICLE = re.compile(r"^第([〇零一二三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?(?=[\s　]|$)")
ANSWER = re.compile(r"^《([^《》]+)》(第[〇零一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)$")
DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)\.md$")


def load_manifest(corpus):
    """title -> list of (date, path); a split law (`中华人民共和国民法典 婚姻家庭编`) is also
    listed under the title its files share on their first line (`中华人民共和国民法典`).
    Also returns title -> province for local regulations (category `DLC/…/地方性法规/广东`)."""
    laws = collections.defaultdict(list)
    regions = {}
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 2:
                continue
            path, title = cols[0], cols[1]
            if len(cols) > 2 and cols[2].startswith("DLC/"):
                regions[title] = cols[2].rsplit("/", 1)[-1]
            m = DATE.search(path)
            date = m.group(1) if m else ""
            laws[title].append((date, path))
            if " " in title:
                laws[title.split(" ", 1)[0]].append((date, path))
    return laws, regions


def load_repealed(path):
    titles = set()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    titles.add(line.split("\t", 1)[0].strip())
    return titles


def names_place(query, title, province):
    """Whether the query names the regulation's province or the city its title starts with."""
    if province in query:
        return True
    m = re.match(r"^(.{2,4}?)[省市]", title)
    return bool(m) and m.group(1) in query


def current_files(entries):
    """The files of the newest version: every file of the newest date (undated files of a split
    law all count as one version)."""
    newest = max(d for d, _ in entries)
    return [p for d, p in entries if d == newest]


def articles(corpus, paths):
    found = {}
    for p in paths:
        with open(os.path.join(corpus, p), encoding="utf-8") as f:
            for line in f:
                m = ARTICLE.match(line.strip())
                if m:
                    label = "第" + m.group(1) + "条" + (m.group(2) or "")
                    found.setdefault(label, line.strip())
    return found


def main():
    args = sys.argv[1:]
    corpus = os.environ.get("XUEFA_CORPUS", "/work/shared/corpus")
    if "--corpus" in args:
        i = args.index("--corpus")
        corpus = args[i + 1]
        del args[i : i + 2]
    tsv = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "relevance.tsv")
    laws, regions = load_manifest(corpus)
    here = os.path.dirname(os.path.abspath(__file__))
    repealed = load_repealed(os.path.join(here, "..", "repealed.tsv"))
    cache = {}
    problems = []
    per_class = collections.Counter()
    per_law = collections.Counter()
    seen = {}
    header = None
    with open(tsv, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                if cols != ["class", "query", "answers", "note"]:
                    problems.append((n, "header must be class<TAB>query<TAB>answers<TAB>note"))
                continue
            if len(cols) != 4:
                problems.append((n, f"{len(cols)} columns, want 4"))
                continue
            cls, query, answers, note = cols
            if cls not in CLASSES:
                problems.append((n, f"unknown class {cls!r}"))
            if not query.strip() or query != query.strip():
                problems.append((n, "empty query or stray spaces around it"))
            if query in seen:
                problems.append((n, f"query repeats line {seen[query]}"))
            seen[query] = n
            if not note.strip():
                problems.append((n, "empty note"))
            per_class[cls] += 1
            listed = answers.split("|")
            if len(set(listed)) != len(listed):
                problems.append((n, "an answer is listed twice"))
            cited = set()
            for ans in listed:
                m = ANSWER.match(ans)
                if not m:
                    problems.append((n, f"answer {ans!r} is not 《标题》第N条"))
                    continue
                title, label = m.groups()
                if title in repealed:
                    problems.append((n, f"{title} is repealed (corpus/repealed.tsv)"))
                if title in regions and not names_place(query, title, regions[title]):
                    problems.append((n, f"{title} is {regions[title]}'s regulation; the query names no place"))
                if title not in laws:
                    problems.append((n, f"no law titled {title!r} in MANIFEST.tsv"))
                    continue
                if title not in cache:
                    cache[title] = articles(corpus, current_files(laws[title]))
                if label not in cache[title]:
                    problems.append((n, f"{title} has no {label} in its current version"))
                    continue
                cited.add(title)
            for title in cited:
                per_law[title] += 1
    for n, msg in problems:
        print(f"line {n}: {msg}")
    total = sum(per_class.values())
    print(f"{total} queries: " + ", ".join(f"{c} {per_class[c]}" for c in CLASSES))
    print(f"{len(per_law)} laws cited (queries citing each):")
    for title, k in per_law.most_common():
        print(f"  {k:3d}  {title}")
    print("OK" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
