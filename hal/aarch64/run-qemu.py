#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot a KaaL loader image on QEMU virt: the one place that starts qemu-system-aarch64 (every
test, benchmark and ./kaal command calls this script).

  run-qemu.py [OPTIONS] IMAGE [QEMU ARGUMENTS...]
  run-qemu.py [OPTIONS] --gdb KERNEL_ELF [--gdb-root ROOT_ELF] IMAGE [GDB ARGUMENTS...]
  run-qemu.py --model MODEL --field machine|gic|cpu|expect

The machine: a CPU model of tests/qemu/cpu-models.txt (--model, default gicv2: Cortex-A53 with
GICv2), 1 GiB, the console on stdio (its input is this process's standard input). The kernel powers
the machine off through PSCI SYSTEM_OFF when nothing can run any more, so QEMU exits by itself.

Options:
  --model MODEL   the CPU model (a name of tests/qemu/cpu-models.txt)
  --timeout S     bound the run to S seconds (default 30; 0: no bound, e.g. an interactive shell).
                  The environment's QEMU_TIMEOUT, when set, overrides it.
  --icount        -icount shift=0: virtual time follows the instructions executed, not the host's
                  clock (the benchmark's cycle counter counts instructions; timer ticks land at the
                  same instruction on every run, however loaded the host is)
  --append TEXT   the kernel command line (the root task's boot arguments)
  --field F       print one field of the model's line (machine: the QEMU arguments) and exit;
                  exit status 2 for an unknown model
  --gdb KERNEL    start QEMU halted at the loader's first instruction with its gdb stub and attach
                  gdb-multiarch (GDB overrides) with the symbols of the loader (IMAGE, linked at its
                  physical address), the kernel (KERNEL: the ELF with debug info) and, with
                  --gdb-root, the root task; the remaining arguments go to gdb. The console goes to
                  --console FILE (default IMAGE.console.log) so that gdb has the terminal.
                  --gdb-port N (default KAAL_GDB_PORT or 1234; 0: any free port). QEMU stops when
                  gdb exits.

Exit status: QEMU's (gdb's with --gdb); 124 when the time bound ended the run; 1 when QEMU exited 0
but the console shows a kernel panic, a failed kernel_boot or a loader failure (SYSTEM_OFF carries
no status); 2 for bad usage."""
import argparse
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, 'tests', 'qemu', 'cpu-models.txt')
QEMU = 'qemu-system-aarch64'
TIMED_OUT = 124
# A run that "powered off" after one of these did not succeed.
FAILURE = re.compile(rb'KaaL kernel panic|kernel_boot failed|KaaL loader: .*stopping')


def model_fields(name):
    """{'name', 'gic', 'cpu', 'expect'} of the model's line of cpu-models.txt, or None."""
    with open(MODELS, encoding='utf-8') as f:
        for line in f:
            words = line.split()
            if words and not words[0].startswith('#') and words[0] == name:
                return dict(zip(('name', 'gic', 'cpu', 'expect'), words))
    return None


def machine_args(model):
    machine = 'virt' if model['gic'] == '2' else f"virt,gic-version={model['gic']}"
    return ['-machine', machine, '-cpu', model['cpu'], '-m', '1G']


def timeout_seconds(default):
    return int(os.environ.get('QEMU_TIMEOUT', default))


def run(cmd, timeout):
    """Run QEMU with its output copied to ours as it comes; return (status, output)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # A runner stopped from outside (meson test's own timeout, kill) stops QEMU too.
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    deadline = time.monotonic() + timeout if timeout > 0 else None
    out = bytearray()
    timed_out = False
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            wait = None if deadline is None else deadline - time.monotonic()
            if wait is not None and wait <= 0 and not timed_out:
                timed_out = True
                proc.terminate()
                deadline = time.monotonic() + 5  # then read what is left, or kill
                continue
            if wait is not None and wait <= 0:
                proc.kill()
                break
            if not sel.select(wait):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
            sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
    status = proc.wait()
    if timed_out:
        return TIMED_OUT, bytes(out)
    return status, bytes(out)


def section_addr(elf, section):
    """The address of SECTION in ELF (readelf's section table), as 0x..."""
    table = subprocess.run(['aarch64-linux-gnu-readelf', '-SW', elf], check=True, stdout=subprocess.PIPE,
                           text=True).stdout
    for line in table.splitlines():
        m = re.match(r'\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s', line)
        if m and m.group(1) == section:
            return '0x' + m.group(2)
    sys.exit(f'run-qemu.py: {elf} has no section {section}')


def free_port():
    # 127.0.0.1, not 'localhost': a new minimal Debian root has no /etc/hosts to resolve it.
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def listening(port):
    """Whether a socket listens on PORT (/proc/net/tcp*: connecting to probe the gdb stub would use
    up its one connection)."""
    for path in ('/proc/net/tcp', '/proc/net/tcp6'):
        try:
            with open(path) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if fields[3] == '0A' and fields[1].endswith(f':{port:04X}'):
                return True
    return False


def run_gdb(a, machine, timeout):
    gdb = os.environ.get('GDB', 'gdb-multiarch')
    if subprocess.run(['sh', '-c', f'command -v {gdb}'], stdout=subprocess.DEVNULL).returncode != 0:
        print(f'run-qemu.py: {gdb} is missing (apt-get install gdb-multiarch)', file=sys.stderr)
        return 2
    port = a.gdb_port if a.gdb_port is not None else int(os.environ.get('KAAL_GDB_PORT', '1234'))
    if port == 0:  # any free port (tests run in parallel)
        port = free_port()
    console = a.console or a.image + '.console.log'
    script = ['set pagination off', 'set confirm off', 'set architecture aarch64', f'file {a.kernel_elf}',
              f'add-symbol-file {a.image} -s .text {section_addr(a.image, ".text")}']
    if a.gdb_root and os.path.isfile(a.gdb_root):
        script.append(f'add-symbol-file {a.gdb_root} {section_addr(a.gdb_root, ".text")}')
    script.append(f'target remote 127.0.0.1:{port}')
    qemu = subprocess.Popen([QEMU] + machine + ['-kernel', a.image, '-display', 'none', '-monitor', 'none',
                                                '-serial', f'file:{console}', '-S', '-gdb', f'tcp:127.0.0.1:{port}'],
                            stdin=subprocess.DEVNULL)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        for _ in range(100):
            if listening(port):
                break
            if qemu.poll() is not None:
                print(f'run-qemu.py: QEMU did not start (port {port} busy?)', file=sys.stderr)
                return 1
            time.sleep(0.1)
        print(f"run-qemu.py: QEMU (pid {qemu.pid}) halted at the loader's entry, gdb stub on port {port}, "
              f'console in {console}', file=sys.stderr)
        with tempfile.NamedTemporaryFile('w', suffix='.gdb') as f:
            f.write('\n'.join(script) + '\n')
            f.flush()
            try:
                return subprocess.run([gdb, '-q', '-x', f.name] + a.args, timeout=timeout or None).returncode
            except subprocess.TimeoutExpired:
                print(f'run-qemu.py: gdb and QEMU stopped after {timeout} s', file=sys.stderr)
                return TIMED_OUT
    finally:
        if qemu.poll() is None:
            qemu.terminate()
            qemu.wait()


def main():
    ap = argparse.ArgumentParser(usage=__doc__.split('\n\n')[1], add_help=True)
    ap.add_argument('--model', default='gicv2')
    ap.add_argument('--timeout', type=int)
    ap.add_argument('--icount', action='store_true')
    ap.add_argument('--append')
    ap.add_argument('--field', choices=['machine', 'gic', 'cpu', 'expect'])
    ap.add_argument('--gdb', dest='kernel_elf')
    ap.add_argument('--gdb-root')
    ap.add_argument('--gdb-port', type=int)
    ap.add_argument('--console')
    ap.add_argument('image', nargs='?')
    ap.add_argument('args', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    model = model_fields(a.model)
    if model is None:
        print(f"run-qemu.py: unknown CPU model '{a.model}' (see {MODELS})", file=sys.stderr)
        return 2
    machine = machine_args(model)
    if a.field:
        print(' '.join(machine[:4]) if a.field == 'machine' else model[a.field])
        return 0
    if not a.image:
        ap.error('no IMAGE')
    if a.icount:
        machine += ['-icount', 'shift=0']
    if a.append is not None:
        machine += ['-append', a.append]
    if a.kernel_elf:
        return run_gdb(a, machine, timeout_seconds(a.timeout or 0))
    timeout = timeout_seconds(30 if a.timeout is None else a.timeout)
    status, out = run([QEMU] + machine + ['-nographic', '-kernel', a.image] + a.args, timeout)
    if status == TIMED_OUT:
        print(f'run-qemu.py: QEMU stopped after {timeout} s (the time bound)', file=sys.stderr)
    elif status == 0 and FAILURE.search(out):
        status = 1
    return status


if __name__ == '__main__':
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
