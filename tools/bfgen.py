#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""bfgen: turn a packed-word spec (.bf) into C accessors that check no bits are lost.

Spec grammar (one item per line, '#' starts a comment):
  block NAME WORDS                      a plain packed structure of WORDS 64-bit words
  union NAME WORDS TAGWORD TAGLO TAGW   a tagged union; the tag lives in word TAGWORD bits [TAGLO, TAGLO+TAGW)
  variant VNAME TAGVALUE                (inside a union) one variant with that tag value
  field FNAME WORD LO WIDTH [shift S]   a field in word WORD, bits [LO, LO+WIDTH); with 'shift S' the
                                        stored value is (value >> S) and the low S bits must be zero
  if NAME / else / endif               keep the lines between only when NAME was given as -D NAME
                                        (a configuration, e.g. CONFIG_KERNEL_MCS); decided when the
                                        header is generated, so each build's header is its own
A variant's TAGVALUE is a number or a C constant (an ABI header's name; then `include <header>`
at the top of the spec makes the generated header include it).

Output per block:    NAME_t, NAME_new(fields...), NAME_get_F(x), NAME_set_F(x, v), NAME_ptr_set_F(p, v)
Output per variant:  NAME_VNAME_new(...), NAME_VNAME_get_F(x), NAME_VNAME_set_F(x, v), NAME_VNAME_ptr_set_F(p, v)
                     and NAME_get_NAME_type(x) for the union tag.
Lists for code that treats them alike (tests): P_FIELDS(X) expands to X(P, F) for every field of P,
NAME_VARIANTS(X) to X(NAME_VNAME) for every variant.
Per field P_F (P is NAME or NAME_VNAME; the union tag is NAME_NAME_type), the layout as constants:
  P_F_WORD, P_F_SHIFT, P_F_WIDTH, and P_F_MASK (the field's bits in place in its word),
so KAAL_BF_GET(w, P_F) reads the stored bits of the field from word w and KAAL_BF_PREP(P_F, v) places
v there (KAAL_BF_PREP_NP: v known to fit, not masked); and raw accessors for hot paths that have checked the tag and the value themselves (as
seL4's generator's unchecked forms): P_get_F_np(x) (no tag check), P_ptr_set_F_np(p, v) (no checks;
bits of v that do not fit are dropped). The constants are for C code; assembly gets what it needs
through a port's generated offsets header (hal/aarch64/kernel/asm_offsets.c).
KAAL_BF_ASSERT(cond) must be defined by the includer (it may expand to nothing).
"""
import sys


class Field:
    def __init__(self, name, word, lo, width, shift):
        self.name, self.word, self.lo, self.width, self.shift = name, word, lo, width, shift
        if lo + width > 64 or width < 1:
            raise SystemExit(f"bfgen: field {name} does not fit a 64-bit word")

    def mask(self):
        return (1 << self.width) - 1 if self.width < 64 else 0xFFFFFFFFFFFFFFFF


class Struct:
    def __init__(self, name, words, tag=None):
        self.name, self.words, self.tag = name, words, tag
        self.fields, self.variants = [], []


def parse(path, defines=()):
    items, cur, var, includes = [], None, None, []
    conds = []  # one [taken, in_else] per open 'if'
    for n, raw in enumerate(open(path), 1):
        line = raw.split('#', 1)[0].split()
        if not line:
            continue
        kw = line[0]
        if kw == 'if' and len(line) == 2:
            conds.append([line[1] in defines, False])
            continue
        if kw in ('else', 'endif'):
            if not conds or (kw == 'else' and conds[-1][1]):
                raise SystemExit(f"bfgen: {path}:{n}: '{kw}' without 'if'")
            if kw == 'else':
                conds[-1] = [not conds[-1][0], True]
            else:
                conds.pop()
            continue
        if not all(c[0] for c in conds):
            continue
        try:
            if kw == 'include':
                includes.append(line[1])
            elif kw == 'block':
                cur, var = Struct(line[1], int(line[2])), None
                items.append(cur)
            elif kw == 'union':
                cur = Struct(line[1], int(line[2]), tag=(int(line[3]), int(line[4]), int(line[5])))
                var = None
                items.append(cur)
            elif kw == 'variant':
                tval = line[2]
                if not tval.isidentifier():
                    tval = int(tval, 0)
                var = (line[1], tval, [])
                cur.variants.append(var)
            elif kw == 'field':
                shift = int(line[6]) if len(line) > 6 and line[5] == 'shift' else 0
                f = Field(line[1], int(line[2]), int(line[3]), int(line[4]), shift)
                if f.word >= cur.words:
                    raise SystemExit(f"bfgen: {path}:{n}: word {f.word} outside {cur.name}")
                (var[2] if var else cur.fields).append(f)
            else:
                raise SystemExit(f"bfgen: {path}:{n}: unknown keyword {kw}")
        except (IndexError, ValueError, AttributeError) as e:
            raise SystemExit(f"bfgen: {path}:{n}: malformed line ({e})")
    if conds:
        raise SystemExit(f"bfgen: {path}: 'if' without 'endif'")
    return items, includes


def check_overlap(owner, fields, words):
    used = [0] * words
    for f in fields:
        m = f.mask() << f.lo
        if used[f.word] & m:
            raise SystemExit(f"bfgen: {owner}: field {f.name} overlaps another field")
        used[f.word] |= m


def constants(out, name, f):
    """The layout of field f as constants named name_{WORD,SHIFT,WIDTH,MASK}."""
    out.append(f"#define {name}_WORD {f.word}")
    out.append(f"#define {name}_SHIFT {f.lo}")
    out.append(f"#define {name}_WIDTH {f.width}")
    out.append(f"#define {name}_MASK {f.mask() << f.lo:#x}ull")


def accessors(out, T, prefix, fields, tagcheck):
    w = 'uint64_t'
    for f in fields:
        constants(out, f"{prefix}_{f.name}", f)
        m = f"{f.mask():#x}ull"
        get = f"(({w})((x.words[{f.word}] >> {f.lo}) & {m}) << {f.shift})"
        out.append(f"static inline {w} {prefix}_get_{f.name}({T} x) {{ {tagcheck('x')}return {get}; }}")
        out.append(f"static inline {w} {prefix}_get_{f.name}_np({T} x) {{ return {get}; }}")
        store = (f"p->words[{f.word}] = (p->words[{f.word}] & ~({m} << {f.lo})) | "
                 f"(((v >> {f.shift}) & {m}) << {f.lo});")
        body = (f"KAAL_BF_ASSERT(((v >> {f.shift}) & ~{m}) == 0 && (v & ((1ull << {f.shift}) - 1)) == 0); "
                + store)
        out.append(f"static inline void {prefix}_ptr_set_{f.name}({T} *p, {w} v) {{ {tagcheck('(*p)')}{body} }}")
        out.append(f"static inline void {prefix}_ptr_set_{f.name}_np({T} *p, {w} v) {{ {store} }}")
        out.append(f"static inline {T} {prefix}_set_{f.name}({T} x, {w} v) "
                   f"{{ {prefix}_ptr_set_{f.name}(&x, v); return x; }}")


def field_list(out, prefix, fields):
    """P_FIELDS(X): X(P, F) for each field, for code that treats every field alike (tests)."""
    out.append(f"#define {prefix}_FIELDS(X) " + ' '.join(f"X({prefix}, {f.name})" for f in fields))


def constructor(out, T, prefix, fields, tagset):
    args = ', '.join(f"uint64_t {f.name}" for f in fields) or 'void'
    out.append(f"static inline {T} {prefix}_new({args}) {{")
    out.append(f"    {T} x = {{{{0}}}};")
    if tagset:
        out.append(f"    {tagset}")
    for f in fields:
        out.append(f"    {prefix}_ptr_set_{f.name}(&x, {f.name});")
    out.append("    return x;\n}")


def emit(items, includes, guard):
    out = [f"/* Generated by tools/bfgen.py: do not edit. */", f"#ifndef {guard}", f"#define {guard}",
           "#include <stdint.h>"] + [f"#include {h}" for h in includes] + [
           "#ifndef KAAL_BF_ASSERT", "#define KAAL_BF_ASSERT(c) ((void)0)", "#endif",
           "/* Field f (a P_F prefix) of word w; v placed as field f's bits; the same for a v known to",
           " * fit (no mask: for hot paths). */",
           "#ifndef KAAL_BF_GET",
           "#define KAAL_BF_GET(w, f) (((w) & f##_MASK) >> f##_SHIFT)",
           "#define KAAL_BF_PREP(f, v) (((uint64_t)(v) << f##_SHIFT) & f##_MASK)",
           "#define KAAL_BF_PREP_NP(f, v) ((uint64_t)(v) << f##_SHIFT)",
           "#endif", ""]
    for s in items:
        T = f"{s.name}_t"
        out.append(f"typedef struct {s.name} {{ uint64_t words[{s.words}]; }} {T};")
        out.append(f"_Static_assert(sizeof({T}) == {8 * s.words}, \"{s.name} is {s.words} words\");")
        if s.tag is None:
            check_overlap(s.name, s.fields, s.words)
            accessors(out, T, s.name, s.fields, lambda x: '')
            constructor(out, T, s.name, s.fields, None)
            field_list(out, s.name, s.fields)
            continue
        tw, tlo, twidth = s.tag
        tagf = Field(f"{s.name}_type", tw, tlo, twidth, 0)
        tm = f"{tagf.mask():#x}ull"
        constants(out, f"{s.name}_{s.name}_type", tagf)
        out.append(f"static inline uint64_t {s.name}_get_{s.name}_type({T} x) "
                   f"{{ return (x.words[{tw}] >> {tlo}) & {tm}; }}")
        for vname, tval, fields in s.variants:
            check_overlap(f"{s.name}_{vname}", fields + [tagf], s.words)
            prefix = f"{s.name}_{vname}"
            out.append(f"enum {{ {s.name}_{vname} = {tval} }};")
            out.append(f"_Static_assert({s.name}_{vname} >= 0 && {s.name}_{vname} <= {tagf.mask():#x}, "
                       f"\"{s.name}_{vname}'s tag fits the tag field\");")

            def tagcheck(x, tval=tval):
                return f"KAAL_BF_ASSERT((({x}.words[{tw}] >> {tlo}) & {tm}) == {tval}); "
            accessors(out, T, prefix, fields, tagcheck)
            constructor(out, T, prefix, fields, f"x.words[{tw}] |= (uint64_t){tval} << {tlo};")
            field_list(out, prefix, fields)
        out.append(f"#define {s.name}_VARIANTS(X) " + ' '.join(f"X({s.name}_{v[0]})" for v in s.variants))
        out.append("")
    out.append(f"#endif /* {guard} */")
    return '\n'.join(out) + '\n'


def main():
    args, defines = sys.argv[1:], []
    while len(args) > 1 and args[0] == '-D':
        defines.append(args[1])
        args = args[2:]
    if len(args) != 2:
        raise SystemExit("usage: bfgen.py [-D NAME]... SPEC.bf OUTPUT.h")
    guard = 'KAAL_GEN_' + ''.join(c if c.isalnum() else '_' for c in args[1].split('/')[-1].upper())
    text = emit(*parse(args[0], defines), guard)
    with open(args[1], 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
