#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_docs: the repository's documentation stands on its own.

  check_docs.py SRCROOT

Fails (exit 1, one line per problem) when
  - a file points at 'some.md#anchor' (a code comment's 'docs/abi.md#errors', a doc's link) and
    that file or that heading does not exist (anchors as Markdown renderers make them from headings);
  - a Markdown link leads outside the repository or to a file that does not exist;
  - anything refers to material outside the repository: a shared directory beside it, absolute
    /work paths, an external ABI sheet or design note, or any numbered-section citation ('§N').
Build directories, .git and binary files are skipped.
"""
import os
import re
import sys

SKIP_DIRS = {'.git', '__pycache__', 'subprojects'}
TEXT_EXT = {'.c', '.h', '.S', '.s', '.py', '.sh', '.md', '.txt', '.build', '.def', '.bf', '.ld', '.json', ''}
# '§N' cites a numbered document the repository does not have (its sections have names).
OUTSIDE = [re.compile(p) for p in (r'\.\./shared\b', r'/work/', r'\bABI sheet\b', r'§\s*\d', r'ARCHITECTURE\.md')]
# 'docs/abi.md#errors' and the short form for more sections of one file: 'docs/abi.md#boot, #faults'.
MD_REF = re.compile(r'([\w./-]*\.md)#([\w-]+)((?:,\s*#[\w-]+)*)')
MD_LINK = re.compile(r'\]\(([^)\s]+)\)')


def slug(heading):
    s = heading.strip().lower()
    s = re.sub(r'[^\w\- ]', '', s)
    return s.replace(' ', '-')


def anchors(path, cache={}):
    if path not in cache:
        found = set()
        in_code = False
        for line in open(path, encoding='utf-8', errors='replace'):
            if line.startswith('```'):
                in_code = not in_code
            elif not in_code and line.startswith('#'):
                found.add(slug(line.lstrip('#')))
            found.update(re.findall(r'<a (?:id|name)="([\w-]+)"', line))
        cache[path] = found
    return cache[path]


def files(root):
    for d, dirs, names in os.walk(root):
        dirs[:] = [x for x in dirs if x not in SKIP_DIRS and not (d == root and x.startswith('build'))]
        for n in names:
            if n != '.git' and os.path.splitext(n)[1] in TEXT_EXT:
                yield os.path.join(d, n)


def resolve(root, here, target):
    """The file a reference names: relative to the referring file, else from the root, else docs/."""
    for base in (os.path.dirname(here), root, os.path.join(root, 'docs')):
        p = os.path.normpath(os.path.join(base, target))
        if os.path.isfile(p):
            return p
    return None


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    root = os.path.abspath(sys.argv[1])
    me = os.path.abspath(__file__)
    problems = []
    for path in files(root):
        if os.path.abspath(path) == me:
            continue
        rel = os.path.relpath(path, root)
        try:
            text = open(path, encoding='utf-8').read()
        except UnicodeDecodeError:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            if any(pat.search(line) for pat in OUTSIDE):
                problems.append(f'{rel}:{n}: refers outside the repository: {line.strip()[:100]}')
            for target, first, more in MD_REF.findall(line):
                if target.startswith(('http:', 'https:')) or '://' in line:
                    continue
                p = resolve(root, path, target)
                if p is None:
                    problems.append(f'{rel}:{n}: {target}#{first}: no such file')
                    continue
                for anchor in [first] + re.findall(r'#([\w-]+)', more):
                    if anchor not in anchors(p):
                        problems.append(f'{rel}:{n}: {target}#{anchor}: no such section in {os.path.relpath(p, root)}')
            if path.endswith('.md'):
                for link in MD_LINK.findall(line):
                    if re.match(r'^[a-z]+:', link) or link.startswith('#'):
                        if link.startswith('#') and link[1:] not in anchors(path):
                            problems.append(f'{rel}:{n}: {link}: no such section here')
                        continue
                    target = link.split('#', 1)[0]
                    p = os.path.normpath(os.path.join(os.path.dirname(path), target))
                    if not p.startswith(root + os.sep) and p != root:
                        problems.append(f'{rel}:{n}: link {link} leaves the repository')
                    elif not os.path.exists(p):
                        problems.append(f'{rel}:{n}: link {link}: no such file')
    for p in problems:
        print(p)
    print(f'check_docs: {len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
