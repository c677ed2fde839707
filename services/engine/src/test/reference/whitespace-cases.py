"""Makes ../resources/chat-templates/whitespace-cases.json: 300 small random templates mixing text, newlines,
indentation, tags with and without whitespace control ({%- -%} {{- -}} {#- -#} {%+), comments, raw blocks and
loops, each with Python Jinja2's rendering in transformers' environment (trim_blocks, lstrip_blocks). The seed
is fixed, so running it again gives the same file:

    /usr/bin/python3 services/engine/src/test/reference/whitespace-cases.py
"""
import json
import pathlib
import random
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
environment = __import__("check-with-jinja2").environment

RESOURCES = pathlib.Path(__file__).resolve().parent.parent / "resources" / "chat-templates"
TEXT = ["", "a", " ", "  ", "\t", "\n", "\n\n", " \n", "\n  ", "x \n y", "\r\n", "  \t\n"]


def tag(kind, body):
    left = random.choice(["", "-", "+"] if kind == "%" else ["", "-"])
    right = random.choice(["", "-", "+"] if kind == "%" else ["", "-"])
    if kind == "{":
        return "{{" + left.replace("+", "") + " " + body + " " + right.replace("+", "") + "}}"
    if kind == "#":
        return "{#" + left.replace("+", "") + " " + body + " " + right.replace("+", "") + "#}"
    return "{%" + left + " " + body + " " + right + "%}"


def piece(depth):
    r = random.random()
    if r < 0.35 or depth > 2:
        return random.choice(TEXT)
    if r < 0.55:
        return tag("{", random.choice(["'v'", "n", "' s '", "items|length"]))
    if r < 0.65:
        return tag("#", "note")
    if r < 0.8:
        return tag("%", "if n > 1") + block(depth + 1) + tag("%", "else") + block(depth + 1) + tag("%", "endif")
    if r < 0.95:
        return tag("%", "for i in items") + block(depth + 1) + tag("{", "i") + tag("%", "endfor")
    return tag("%", "raw") + random.choice(["{{ x }}", " {% y %} \n"]) + tag("%", "endraw")


def block(depth):
    return "".join(piece(depth) for _ in range(random.randint(1, 4)))


def main():
    random.seed(20251205)
    cases = []
    env = environment()
    while len(cases) < 300:
        source = block(0) + random.choice(["", "\n", "\n\n", " "])
        try:
            text = env.from_string(source).render(n=2, items=[1, 2])
        except Exception:  # noqa: BLE001 - a random template Jinja2 rejects is not a case
            continue
        cases.append({"template": source, "text": text})
    out = {"made_by": "Jinja2 (Debian python3-jinja2) with trim_blocks and lstrip_blocks", "variables": {"n": 2, "items": [1, 2]}, "cases": cases}
    (RESOURCES / "whitespace-cases.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
