"""Renders the same conversations as render-chat-templates.mjs with Python's Jinja2, set up as
Hugging Face transformers sets it up for apply_chat_template (sandboxed environment, trim_blocks,
lstrip_blocks, loop controls, its tojson, raise_exception, strftime_now), and reports every case
where @huggingface/jinja's committed output differs. With --write it records Jinja2's result in the
fixture beside such a case ("jinja2"): transformers renders with Jinja2, so the Java tests expect
that one. Debian's python3-jinja2 is enough:

    /usr/bin/python3 services/engine/src/test/reference/check-with-jinja2.py --write

It also renders the template snippets of features.json (one Jinja feature each) and writes their
expected outputs to features-expected.json.
"""
import datetime
import json
import pathlib
import sys

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

RESOURCES = pathlib.Path(__file__).resolve().parent.parent / "resources" / "chat-templates"
FIXED_DATE = datetime.datetime(2025, 3, 9, 14, 5, 0)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(value, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: FIXED_DATE.strftime(fmt)
    return env


def render_features():
    features = json.loads((RESOURCES / "features.json").read_text("utf-8"))
    expected = []
    for t in features["templates"]:
        try:
            expected.append({"name": t["name"], "text": environment().from_string(t["template"]).render(**features["variables"])})
        except Exception as e:  # noqa: BLE001
            expected.append({"name": t["name"], "error": f"{type(e).__name__}: {e}"})
    out = {"made_by": f"Jinja2 {jinja2.__version__}", "renders": expected}
    (RESOURCES / "features-expected.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")


def main():
    render_features()
    conversations = {c["name"]: c for c in json.loads((RESOURCES / "conversations.json").read_text("utf-8"))}
    differ = 0
    total = 0
    for path in sorted(RESOURCES.glob("*.json")):
        fixture = json.loads(path.read_text("utf-8"))
        if not isinstance(fixture, dict) or "chat_template" not in fixture:
            continue  # not the expected renderings of a model's template
        template = environment().from_string(fixture["chat_template"])
        for expected in fixture["renders"]:
            expected.pop("jinja2", None)
            c = conversations[expected["name"]]
            variables = dict(fixture["special_tokens"], messages=c["messages"],
                             add_generation_prompt=c["add_generation_prompt"])
            if "tools" in c:
                variables["tools"] = c["tools"]
            try:
                got = {"text": template.render(**variables)}
            except Exception as e:  # noqa: BLE001 - every failure is a result to compare
                got = {"error": str(e) if isinstance(e, jinja2.TemplateError) else f"{type(e).__name__}: {e}"}
            total += 1
            same = ("text" in got) == ("text" in expected) and got.get("text") == expected.get("text")
            if not same:
                expected["jinja2"] = got
                differ += 1
                print(f"{fixture['model']} / {expected['name']}:\n  @huggingface/jinja: {expected}\n  Jinja2 {jinja2.__version__}: {got}")
        if "--write" in sys.argv:
            path.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{total - differ} of {total} renders agree")
    return 1 if differ and "--write" not in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
