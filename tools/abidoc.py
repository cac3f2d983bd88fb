#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""abidoc: fill the generated tables of docs/abi.md from the ABI sources, or check they are current.

  abidoc.py write SRCROOT   rewrite every generated block of SRCROOT/docs/abi.md in place
  abidoc.py check SRCROOT   exit 1 (and say which blocks) if a block differs from its sources

A block is the text between '<!-- generated: NAME -->' and '<!-- end generated -->'. Each NAME is
made from one source, so a number in these tables is never typed by hand:
  syscalls, errors, object-types      core/abi/kaal/abi/{syscalls,errors,objecttype}.h (X tables)
  invocations                         core/abi/invocations.def (packed as tools/abigen.py packs)
  message-info, cap-rights, cnode-capdata   core/abi/shared_types.bf
  cap-types                           core/abi/kaal/abi/cap_tags.h (KAAL_CAP_TAG_TABLE)
  initial-caps                        enum seL4_RootCNodeCapSlots in core/abi/kaal/abi/structs.h
  faults                              seL4_Fault_* and the fault word indices in constants.h
  constants-Opening-words             the #defines of the constants.h paragraph whose comment opens
                                      with those words (hyphens for spaces)
  config                              meson_options.txt and core/abi/kaal/meson.build
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abigen  # noqa: E402  (the packing rule of the invocation stubs: one copy)

BEGIN = re.compile(r'<!-- generated: ([\w-]+) -->\n')
END = '<!-- end generated -->'


def read(root, rel):
    with open(os.path.join(root, rel)) as f:
        return f.read()


def table(head, rows):
    out = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    out += ['| ' + ' | '.join(str(c) for c in r) + ' |' for r in rows]
    return '\n'.join(out)


def constants(root):
    """name -> value text of every #define NAME VALUE in constants.h (values resolved one level)."""
    defs = dict(re.findall(r'^#define (\w+) (\S.*?)\s*$', read(root, 'core/abi/kaal/abi/constants.h'), re.M))
    return defs


def x_table(root, rel, macro):
    text = read(root, rel)
    body = text[text.index(f'#define {macro}(X)'):]
    body = body[:body.index('\n\n')]
    return re.findall(r'X\(([^)]*)\)', body)


def gen_syscalls(root):
    rows = []
    for item in x_table(root, 'core/abi/kaal/abi/syscalls.h', 'KAAL_SYSCALL_TABLE'):
        name, num = [s.strip() for s in item.split(',')]
        rows.append((f'`{num}`', f'`seL4_Sys{name}`'))
    return table(['x7', 'system call'], rows)


def gen_errors(root):
    rows = []
    for item in x_table(root, 'core/abi/kaal/abi/errors.h', 'KAAL_ERROR_TABLE'):
        name, num = [s.strip() for s in item.split(',')]
        rows.append((num, f'`seL4_{name}`'))
    return table(['label', 'error'], rows)


def gen_object_types(root):
    defs = constants(root)
    rows = []
    for item in x_table(root, 'core/abi/kaal/abi/objecttype.h', 'KAAL_OBJECT_TYPE_TABLE'):
        name, num, bits = [s.strip() for s in item.split(',')]
        if bits == '-1':
            size = 'the size_bits argument' + (' + `seL4_SlotBits` (%s)' % defs['seL4_SlotBits']
                                              if name == 'seL4_CapTableObject' else '')
        else:
            size = f'`{bits}` = {defs[bits]}'
        rows.append((num, f'`{name}`', size))
    return table(['MR0 of Retype', 'object type', 'size (log2 bytes)'], rows)


def gen_invocations(root):
    rows = []
    for r in abigen.parse(os.path.join(root, 'core/abi/invocations.def')):
        packed, nw = abigen.pack(r['args'])
        words = []
        for name, typ, word, bit, width in packed:
            if typ == 'ctx':
                words.append(f'MR{word}..MR{word + 35} {name}')
            elif typ == 'smc':
                words.append(f'MR{word}..MR{word + 7} {name}')
            elif width == 64:
                words.append(f'MR{word} {name}')
            else:
                words.append(f'MR{word}[{bit}:{bit + width - 1}] {name}' if width > 1 else f'MR{word}[{bit}] {name}')
        caps = [f'cap{i} {n} ({k})' for i, (n, k) in enumerate(r['caps'])]
        res, rw = abigen.pack(r['results'])
        results = ', '.join(f'MR{w} {n}' if t not in ('ctx', 'smc') else f'{n} ({"36" if t == "ctx" else "8"} words)'
                            for n, t, w, _, _ in res)
        rows.append((r['label'], f'`{r["name"]}`', r['obj'], f'`{r["stub"]}`', '; '.join(words) or '-',
                     '; '.join(caps) or '-', nw, results or '-'))
    return table(['label', 'name', 'invoked cap', 'libsel4 stub', 'message words', 'extra caps', 'length',
                  'reply words'], rows)


def bf_items(root, rel):
    """[(kind, name, tag, [(field, word, lo, width)])] of a .bf file: blocks and union variants."""
    items, cur = [], None
    for raw in read(root, rel).splitlines():
        line = raw.split('#', 1)[0].split()
        if not line:
            continue
        if line[0] in ('block', 'union'):
            cur = (line[0], line[1], None, [])
            items.append(cur)
            union = line[1] if line[0] == 'union' else None
        elif line[0] == 'variant':
            cur = ('variant', union + ':' + line[1], line[2], [])
            items.append(cur)
        elif line[0] == 'field':
            cur[3].append((line[1], int(line[2]), int(line[3]), int(line[4])))
    return items


def gen_packed(root, name):
    for kind, iname, _, fields in bf_items(root, 'core/abi/shared_types.bf'):
        if iname == name:
            rows = [(f'`{f}`', f'{lo}' if w == 1 else f'{lo}-{lo + w - 1}', w)
                    for f, _, lo, w in sorted(fields, key=lambda x: x[2])]
            return table(['field', 'bits', 'width'], rows)
    raise SystemExit(f'abidoc: no block {name} in shared_types.bf')


def gen_cap_types(root):
    # The tags are stated once, in the ABI header's X-macro table (structures.bf's cap variants name them).
    rows = [(int(tag), f'`{name}_cap`') for _, name, tag in
            re.findall(r'X\((\w+), (\w+), (\d+)\)', read(root, 'core/abi/kaal/abi/cap_tags.h'))]
    return table(['x0 after DebugCapIdentify', 'cap type'], sorted(rows))


def gen_initial_caps(root):
    text = read(root, 'core/abi/kaal/abi/structs.h')
    body = text[text.index('enum seL4_RootCNodeCapSlots'):]
    body = body[:body.index('};')]
    rows = [(num, f'`{name}`') for name, num in re.findall(r'(seL4_\w+) = (\d+)', body)]
    return table(['slot', 'name'], rows)


def gen_faults(root):
    defs = constants(root)
    kinds = [(n[len('seL4_Fault_'):], v) for n, v in defs.items() if n.startswith('seL4_Fault_')]
    rows = []
    for kind, label in kinds:
        words = sorted(((int(v), n[len(f'seL4_{kind}_'):]) for n, v in defs.items()
                        if n.startswith(f'seL4_{kind}_') and not n.endswith('_Length')), key=lambda x: x[0])
        length = defs.get(f'seL4_{kind}_Length', '-')
        rows.append((label, f'`{kind}`', length, ', '.join(f'MR{i} {n}' for i, n in words) or '-'))
    return table(['label', 'fault', 'length', 'message words (constants.h names)'], rows)


def gen_group(root, words):
    """The #defines of the constants.h paragraph whose opening comment starts with `words`."""
    text = read(root, 'core/abi/kaal/abi/constants.h')
    for para in text.split('\n\n'):
        if para.startswith('/* ' + words):
            rows = [(f'`{n}`', v) for n, v in re.findall(r'^#define (\w+) (\S.*?)\s*$', para, re.M)]
            return table(['name', 'value'], rows)
    raise SystemExit(f'abidoc: no paragraph of constants.h opens with "/* {words}"')


def gen_config(root):
    rows = []
    opts = read(root, 'meson_options.txt')
    for name, default, cfg in re.findall(r"option\('(\w+)', type : 'integer'.*?value : (\d+),\s*\n?\s*"
                                         r"description : '(CONFIG_\w+)", opts, re.S):
        rows.append((f'`{cfg}`', default, f'option `{name}`'))
    # Unconditional settings only (at the start of a line); indented ones depend on an option.
    for cfg, value in re.findall(r"^conf\.set\('(CONFIG_\w+)', ([^)]+)\)", read(root, 'core/abi/kaal/meson.build'), re.M):
        if value.startswith('get_option') or cfg.startswith('CONFIG_HAL'):
            continue
        rows.append((f'`{cfg}`', value.strip("'"), 'fixed'))
    return table(['name', 'value', 'set by'], rows)


GENERATORS = {
    'syscalls': gen_syscalls,
    'errors': gen_errors,
    'object-types': gen_object_types,
    'invocations': gen_invocations,
    'message-info': lambda r: gen_packed(r, 'seL4_MessageInfo'),
    'cap-rights': lambda r: gen_packed(r, 'seL4_CapRights'),
    'cnode-capdata': lambda r: gen_packed(r, 'seL4_CNode_CapData'),
    'cap-types': gen_cap_types,
    'initial-caps': gen_initial_caps,
    'faults': gen_faults,
    'config': gen_config,
}


def generate(root, name):
    if name.startswith('constants-'):
        return gen_group(root, name[len('constants-'):].replace('-', ' '))
    if name not in GENERATORS:
        raise SystemExit(f'abidoc: unknown generated block {name}')
    return GENERATORS[name](root)


def fill(root, text):
    """Return (new text, names of blocks that changed)."""
    out, changed, pos = [], [], 0
    for m in BEGIN.finditer(text):
        if m.start() < pos:
            continue
        end = text.index(END, m.end())
        body = generate(root, m.group(1)) + '\n'
        if text[m.end():end] != body:
            changed.append(m.group(1))
        out += [text[pos:m.end()], body]
        pos = end
    out.append(text[pos:])
    return ''.join(out), changed


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ('write', 'check'):
        raise SystemExit(__doc__)
    root = sys.argv[2]
    path = os.path.join(root, 'docs/abi.md')
    text = read(root, 'docs/abi.md')
    new, changed = fill(root, text)
    if sys.argv[1] == 'write':
        with open(path, 'w') as f:
            f.write(new)
        print(f'abidoc: {len(changed)} block(s) rewritten' + (': ' + ', '.join(changed) if changed else ''))
        return 0
    if changed:
        print('abidoc: docs/abi.md is out of date in: ' + ', '.join(changed))
        print('        run: tools/abidoc.py write .')
        return 1
    print('abidoc: docs/abi.md matches its sources')
    return 0


if __name__ == '__main__':
    sys.exit(main())
