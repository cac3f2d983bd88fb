#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""abidoc: fill the generated tables of docs/abi.md from the ABI sources, or check they are current.

  abidoc.py write SRCROOT   rewrite every generated block of SRCROOT/docs/abi.md in place
  abidoc.py check SRCROOT   exit 1 (and say which blocks) if a block differs from its sources

A block is the text between '<!-- generated: NAME -->' and '<!-- end generated -->'. Each NAME is
made from one source, so a number in these tables is never typed by hand:
  syscalls, errors, object-types      core/abi/kaal/abi/{syscalls,errors,objecttype}.h (X tables;
                                      syscalls and object types in both configurations)
  invocations                         core/abi/invocations.def (packed as tools/abigen.py packs),
                                      with the base and the MCS label of each row
  faults-mcs, constants-mcs-...       the MCS configuration's values of the same sources
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


def config_text(text, mcs):
    """text as the preprocessor sees it in one configuration: the lines of
    '#ifdef CONFIG_KERNEL_MCS' / '#else' / '#endif' blocks that do not apply are dropped."""
    out, stack = [], []
    for line in text.split('\n'):
        s = line.strip()
        if s.startswith('#ifdef CONFIG_KERNEL_MCS'):
            stack.append(mcs)
            continue
        if s.startswith('#ifndef CONFIG_KERNEL_MCS'):
            stack.append(not mcs)
            continue
        if stack and s.startswith('#else'):
            stack[-1] = not stack[-1]
            continue
        if stack and s.startswith('#endif'):
            stack.pop()
            continue
        if all(stack):
            out.append(line)
    return '\n'.join(out)


def constants(root, mcs=False):
    """name -> value text of every #define NAME VALUE in constants.h in one configuration."""
    text = config_text(read(root, 'core/abi/kaal/abi/constants.h'), mcs)
    return dict(re.findall(r'^#define (\w+) (\S.*?)\s*$', text, re.M))


def x_table(root, rel, macro):
    text = read(root, rel)
    body = text[text.index(f'#define {macro}(X)'):]
    body = body[:body.index('\n\n')]
    return re.findall(r'X\(([^)]*)\)', body)


def both_tables(root, rel, macro):
    """[(name, base value, MCS value)] of the _BASE and _MCS X tables (None where absent), base
    order first, then the MCS-only entries in MCS order."""
    split = (lambda items: [[s.strip() for s in i.split(',')] for i in items])
    base = split(x_table(root, rel, macro + '_BASE'))
    mcs = split(x_table(root, rel, macro + '_MCS'))
    mcs_of = {r[0]: r[1:] for r in mcs}
    base_of = {r[0]: r[1:] for r in base}
    rows = [(r[0], r[1:], mcs_of.get(r[0])) for r in base]
    rows += [(r[0], None, r[1:]) for r in mcs if r[0] not in base_of]
    return rows


def gen_syscalls(root):
    rows = []
    for name, base, mcs in both_tables(root, 'core/abi/kaal/abi/syscalls.h', 'KAAL_SYSCALL_TABLE'):
        rows.append((f'`{base[0]}`' if base else '-', f'`{mcs[0]}`' if mcs else '-', f'`seL4_Sys{name}`'))
    return table(['x7 (base)', 'x7 (MCS)', 'system call'], rows)


def gen_errors(root):
    rows = []
    for item in x_table(root, 'core/abi/kaal/abi/errors.h', 'KAAL_ERROR_TABLE'):
        name, num = [s.strip() for s in item.split(',')]
        rows.append((num, f'`seL4_{name}`'))
    return table(['label', 'error'], rows)


def gen_object_types(root):
    base_defs, mcs_defs = constants(root), constants(root, True)
    rows = []
    for name, base, mcs in both_tables(root, 'core/abi/kaal/abi/objecttype.h', 'KAAL_OBJECT_TYPE_TABLE'):
        bits = (base or mcs)[1]
        if bits == '-1':
            size = 'the size_bits argument' + (' + `seL4_SlotBits` (%s)' % base_defs['seL4_SlotBits']
                                              if name == 'seL4_CapTableObject' else '')
            if name == 'seL4_SchedContextObject':
                size += ', at least `seL4_MinSchedContextBits` (%s)' % mcs_defs['seL4_MinSchedContextBits']
        else:
            b, m = base_defs.get(bits), mcs_defs.get(bits)
            size = f'`{bits}` = ' + (f'{b}' if b == m or b is None or m is None else f'{b} (MCS: {m})')
            size = size if b is not None or m is None else f'`{bits}` = {m}'
        rows.append((base[0] if base else '-', mcs[0] if mcs else '-', f'`{name}`', size))
    return table(['MR0 of Retype (base)', 'MR0 (MCS)', 'object type', 'size (log2 bytes)'], rows)


def gen_invocations(root):
    path = os.path.join(root, 'core/abi/invocations.def')
    mcs_rows = abigen.parse(path, 'mcs')
    base_rows = abigen.parse(path, 'base')
    # One line per distinct row of the table: base rows in order, each MCS row after the row it
    # follows in MCS order (so the MCS-only and MCS-specific rows sit where their labels are).
    key = (lambda r: (r['name'], tuple(r['params']), tuple(r['results'])))
    mcs_label = {key(r): r['label'] for r in mcs_rows}
    base_label = {key(r): r['label'] for r in base_rows}
    merged, seen = [], set()
    for r in mcs_rows:
        if key(r) in base_label:
            # base-only rows before it
            for b in base_rows:
                if b['label'] < base_label[key(r)] and key(b) not in seen:
                    merged.append(b)
                    seen.add(key(b))
        if key(r) not in seen:
            merged.append(r)
            seen.add(key(r))
    merged += [b for b in base_rows if key(b) not in seen]
    rows = []
    for r in merged:
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
        rows.append((base_label.get(key(r), '-'), mcs_label.get(key(r), '-'), f'`{r["name"]}`', r['obj'],
                     f'`{r["stub"]}`', '; '.join(words) or '-', '; '.join(caps) or '-', nw, results or '-'))
    return table(['label (base)', 'label (MCS)', 'name', 'invoked cap', 'libsel4 stub', 'message words',
                  'extra caps', 'length', 'reply words'], rows)


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
    text = read(root, 'core/abi/kaal/abi/cap_tags.h')
    mcs_only = text[text.index('#define KAAL_CAP_TAG_TABLE_MCS(X)'):]
    mcs_only = set(re.findall(r'X\(\w+, (\w+), \d+\)', mcs_only[:mcs_only.index('\n\n') if '\n\n' in mcs_only else None]))
    rows = [(int(tag), f'`{name}_cap`', 'MCS only' if name in mcs_only else
             ('both (MCS: names a reply object)' if name == 'reply' else 'both'))
            for _, name, tag in re.findall(r'X\((\w+), (\w+), (\d+)\)', text)]
    return table(['x0 after DebugCapIdentify', 'cap type', 'configurations'], sorted(rows))


def gen_initial_caps(root):
    text = read(root, 'core/abi/kaal/abi/structs.h')
    body = text[text.index('enum seL4_RootCNodeCapSlots'):]
    body = body[:body.index('};')]
    rows = [(num, f'`{name}`') for name, num in re.findall(r'(seL4_\w+) = (\d+)', body)]
    return table(['slot', 'name'], rows)


def gen_faults(root, mcs=False):
    defs = constants(root, mcs)
    kinds = [(n[len('seL4_Fault_'):], v) for n, v in defs.items() if n.startswith('seL4_Fault_')]
    rows = []
    for kind, label in kinds:
        words = sorted(((int(v), n[len(f'seL4_{kind}_'):]) for n, v in defs.items()
                        if n.startswith(f'seL4_{kind}_') and not n.endswith('_Length')), key=lambda x: x[0])
        length = defs.get(f'seL4_{kind}_Length', '-')
        rows.append((label, f'`{kind}`', length, ', '.join(f'MR{i} {n}' for i, n in words) or '-'))
    return table(['label', 'fault', 'length', 'message words (constants.h names)'], rows)


def gen_group(root, words, mcs=False):
    """The #defines of the constants.h paragraph whose opening comment starts with `words`."""
    text = config_text(read(root, 'core/abi/kaal/abi/constants.h'), mcs)
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
    'faults-mcs': lambda r: gen_faults(r, True),
    'config': gen_config,
}


def generate(root, name):
    if name.startswith('constants-mcs-'):
        return gen_group(root, name[len('constants-mcs-'):].replace('-', ' '), True)
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
