#!/usr/bin/env python3
"""The judged corpus as every baseline sees it: one JSON line per .txt file.

    corpus.py CORPUS_DIR OUT.jsonl

Each line is {"id", "title", "body"}: id = the path relative to CORPUS_DIR (hoptac's document id and the
qrels' doc column), title = the first non-empty line, body = everything after it. The text is read as
UTF-8 and put in NFC (a few files of the corpus are decomposed; a browser or editor would show them the
same). Nothing else is cleaned: the baselines get the plain text a user of those engines would load.
"""
import json
import os
import sys
import unicodedata


def split(text):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip():
            return line.strip(), "\n".join(lines[i + 1 :]).strip()
    return "", ""


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for root, dirs, files in os.walk(corpus):
            dirs.sort()
            for name in sorted(files):
                if not name.endswith(".txt"):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8-sig") as src:
                    text = unicodedata.normalize("NFC", src.read())
                title, body = split(text)
                doc_id = os.path.relpath(path, corpus).replace(os.sep, "/")
                f.write(json.dumps({"id": doc_id, "title": title, "body": body}, ensure_ascii=False))
                f.write("\n")
                n += 1
    print(f"corpus: {n} documents -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
