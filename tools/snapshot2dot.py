#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Render KaaL DebugSnapshot output as a Graphviz picture.

usage: snapshot2dot.py [--all] [LOG] > system.dot
       dot -Tsvg system.dot > system.svg      (or -Tpng)

LOG is any console log (default: stdin) holding one or more blocks of DebugSnapshot output:

    KaaL snapshot: CNode 0x... (256 slots) of thread "shell"
      0x0008: endpoint obj 0x... badge 0x1 rights RWGP
      ...

Each thread's CSpace becomes a box of its caps (slot, type, badge, rights); every kernel object a
cap names becomes one node, so caps in different CSpaces that reach the same endpoint,
notification, frame or CNode meet there: the picture shows who can talk to whom and what is
shared. Without --all, untyped, frame and page-table caps are summarised per CSpace (a root task
holds hundreds of them).

Derivation tree: a cap line may end in "at 0x<slot> parent 0x<slot>" (the slot's physical address
and its derivation-tree parent's); each such cap gets a dashed edge to its parent cap. KaaL's
DebugSnapshot prints them for every cap.
"""
import re
import sys

HEAD = re.compile(r'KaaL snapshot: CNode (0x[0-9a-f]+|\(nil\)) \((\d+) slots\) of thread "([^"]*)"')
CAP = re.compile(r'^\s+0x([0-9a-f]+): (\S+)(.*)$')
OBJ = re.compile(r'obj (0x[0-9a-f]+)')
BULK = {"untyped", "frame", "page_table"}
SHAPES = {"endpoint": "ellipse", "notification": "diamond", "cnode": "folder", "tcb": "box3d",
          "vspace": "component", "irq_handler": "invhouse", "frame": "note", "untyped": "box"}


def parse(lines):
    threads, current = [], None
    for line in lines:
        line = line.rstrip("\r\n")
        m = HEAD.search(line)
        if m:
            current = {"cnode": m.group(1), "slots": int(m.group(2)), "name": m.group(3), "caps": []}
            threads.append(current)
            continue
        m = CAP.match(line)
        if current is not None and m:
            slot, kind, rest = int(m.group(1), 16), m.group(2), m.group(3)
            obj = OBJ.search(rest)
            badge = re.search(r'badge (0x[0-9a-f]+)', rest)
            rights = re.search(r'rights (\S+)', rest)
            irq = re.search(r'irq (\d+)', rest)
            at = re.search(r'\bat (0x[0-9a-f]+)', rest)
            parent = re.search(r'\bparent (0x[0-9a-f]+)', rest)
            current["caps"].append({"slot": slot, "kind": kind, "obj": obj.group(1) if obj else None,
                                    "badge": badge.group(1) if badge else None,
                                    "rights": rights.group(1) if rights else None,
                                    "irq": irq.group(1) if irq else None,
                                    "at": at.group(1) if at else None,
                                    "parent": parent.group(1) if parent else None})
        elif current is not None and line.strip() and not line.startswith(" "):
            current = None
    return threads


def dot(threads, show_all):
    out = ["digraph kaal {", '  rankdir=LR; node [fontname="Helvetica", fontsize=10];',
           '  edge [fontname="Helvetica", fontsize=9];']
    objects = {}
    slot_nodes, derived = {}, []
    seen = {}
    for t in threads:  # the last snapshot of a thread wins
        seen[t["name"]] = t
    for i, t in enumerate(seen.values()):
        out.append(f'  subgraph cluster_{i} {{')
        out.append(f'    label="thread \\"{t["name"]}\\"\\nCNode {t["cnode"]}, {t["slots"]} slots"; style=rounded;')
        bulk = {}
        for c in t["caps"]:
            if c["kind"] in BULK and not show_all:
                bulk[c["kind"]] = bulk.get(c["kind"], 0) + 1
                continue
            label = f'{c["slot"]}: {c["kind"]}'
            if c["badge"] and c["badge"] != "0x0":
                label += f'\\nbadge {c["badge"]}'
            if c["rights"]:
                label += f' {c["rights"]}'
            if c["irq"]:
                label += f'\\nirq {c["irq"]}'
            node = f't{i}s{c["slot"]}'
            out.append(f'    {node} [label="{label}", shape=plaintext];')
            if c["at"]:
                slot_nodes[c["at"]] = node
            if c["parent"]:
                derived.append((node, c["parent"]))
            if c["obj"]:
                objects.setdefault((c["kind"], c["obj"]), []).append(node)
            elif c["irq"]:
                objects.setdefault(("irq", c["irq"]), []).append(node)
        for kind, n in sorted(bulk.items()):
            out.append(f'    t{i}bulk_{kind} [label="{n} {kind} caps", shape=box, style=dashed];')
        out.append("  }")
    for (kind, obj), holders in objects.items():
        name = f'o_{kind}_{obj}'.replace("0x", "")
        shared = len(holders) > 1
        out.append(f'  {name} [label="{kind}\\n{obj}", shape={SHAPES.get(kind, "ellipse")}'
                   f'{", style=filled, fillcolor=lightyellow" if shared else ""}];')
        for h in holders:
            out.append(f"  {h} -> {name};")
    for node, parent in derived:
        if parent in slot_nodes:
            out.append(f'  {node} -> {slot_nodes[parent]} [style=dashed, color=gray40, label="derived from"];')
    out.append("}")
    return "\n".join(out) + "\n"


def main(argv):
    show_all = "--all" in argv
    files = [a for a in argv[1:] if a != "--all"]
    if any(a in ("-h", "--help") for a in files):
        print(__doc__)
        return 0
    text = open(files[0], errors="replace").read().splitlines() if files else sys.stdin.read().splitlines()
    threads = parse(text)
    if not threads:
        print("snapshot2dot.py: no 'KaaL snapshot:' block in the input", file=sys.stderr)
        return 1
    sys.stdout.write(dot(threads, show_all))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
