/* SPDX-License-Identifier: BSD-2-Clause */
/* The default root task: a readable summary of the bootinfo, the untyped list and the initial caps.
 * Portable user code: only the ABI headers and DebugPutChar / DebugCapIdentify, no libc. */
#include "summary.h"

#include <kaal/print.h>
#include <kaal/sys.h>

/* Names of the cap type tags DebugCapIdentify returns; NULL: no such tag here. */
static const char *const cap_type_names[] = {
#define CAP_TYPE_NAME(NAME, name, tag) [tag] = #name,
    KAAL_CAP_TAG_TABLE(CAP_TYPE_NAME)
#undef CAP_TYPE_NAME
};

/* The fixed root CNode slots 0..15 (docs/abi.md#initial-caps). */
static const char *const initial_cap_names[seL4_NumInitialCaps] = {
    "seL4_CapNull",
    "seL4_CapInitThreadTCB",
    "seL4_CapInitThreadCNode",
    "seL4_CapInitThreadVSpace",
    "seL4_CapIRQControl",
    "seL4_CapASIDControl",
    "seL4_CapInitThreadASIDPool",
    "seL4_CapIOPortControl",
    "seL4_CapIOSpace",
    "seL4_CapBootInfoFrame",
    "seL4_CapInitThreadIPCBuffer",
    "seL4_CapDomain",
    "seL4_CapSMMUSIDControl",
    "seL4_CapSMMUCBControl",
    "seL4_CapInitThreadSC",
    "seL4_CapSMC",
};

static unsigned failed_checks;

static void put_cap_type(seL4_Word tag)
{
    if (tag < sizeof(cap_type_names) / sizeof(cap_type_names[0]) && cap_type_names[tag] != 0) {
        kaal_puts(cap_type_names[tag]);
    } else {
        kaal_puts("tag ");
        kaal_put_dec(tag);
    }
}

static void check(int ok, const char *what)
{
    kaal_puts(ok ? "  ok    " : "  FAIL  ");
    kaal_puts(what);
    kaal_putc('\n');
    if (!ok) {
        failed_checks++;
    }
}

static void put_field(const char *name, seL4_Word v)
{
    kaal_puts("  ");
    kaal_puts_pad(name, 26);
    kaal_put_dec(v);
    kaal_putc('\n');
}

static void put_region(const char *name, seL4_SlotRegion r)
{
    kaal_puts("  ");
    kaal_puts_pad(name, 18);
    kaal_putc('[');
    kaal_put_hex(r.start);
    kaal_puts(", ");
    kaal_put_hex(r.end);
    kaal_puts(")  ");
    kaal_put_dec(r.end >= r.start ? r.end - r.start : 0);
    kaal_puts(" slots\n");
}

static void print_bootinfo(const seL4_BootInfo *bi)
{
    kaal_puts("bootinfo:\n");
    put_field("extraLen (bytes)", bi->extraLen);
    put_field("nodeID", bi->nodeID);
    put_field("numNodes", bi->numNodes);
    put_field("numIOPTLevels", bi->numIOPTLevels);
    kaal_puts("  ");
    kaal_puts_pad("ipcBuffer", 26);
    kaal_put_hex((seL4_Word)(uintptr_t)bi->ipcBuffer);
    kaal_putc('\n');
    put_field("initThreadCNodeSizeBits", bi->initThreadCNodeSizeBits);
    put_field("initThreadDomain", bi->initThreadDomain);

    kaal_puts("slot regions:\n");
    put_region("empty", bi->empty);
    put_region("sharedFrames", bi->sharedFrames);
    put_region("userImageFrames", bi->userImageFrames);
    put_region("userImagePaging", bi->userImagePaging);
    put_region("ioSpaceCaps", bi->ioSpaceCaps);
    put_region("extraBIPages", bi->extraBIPages);
    put_region("untyped", bi->untyped);
}

/* Prints the untyped list; returns how many entries it has (clamped to the list's length). */
static seL4_Word print_untypeds(const seL4_BootInfo *bi)
{
    seL4_Word n = bi->untyped.end >= bi->untyped.start ? bi->untyped.end - bi->untyped.start : 0;
    if (n > KAAL_BOOTINFO_UNTYPED_SLOTS) {
        n = KAAL_BOOTINFO_UNTYPED_SLOTS;
    }
    seL4_Word ram_count = 0, ram_bytes = 0, dev_count = 0;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice) {
            dev_count++;
        } else {
            ram_count++;
            ram_bytes += u->sizeBits < 64 ? 1ull << u->sizeBits : 0;
        }
    }

    kaal_puts("untyped: ");
    kaal_put_dec(n);
    kaal_puts(" caps (RAM ");
    kaal_put_dec(ram_count);
    kaal_puts(", ");
    kaal_put_size(ram_bytes);
    kaal_puts(" in all; device ");
    kaal_put_dec(dev_count);
    kaal_puts(")\n");
    kaal_puts("  slot     paddr               size       bits  kind\n");
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        kaal_puts("  ");
        kaal_put_hex_width(bi->untyped.start + i, 4);
        kaal_puts("   ");
        kaal_put_hex_width(u->paddr, 16);
        kaal_puts("  ");
        /* Pad the size column: "1023 MiB" is the widest a power of two gets. */
        seL4_Word b = u->sizeBits;
        seL4_Word mag = b < 64 ? (1ull << b) >> (b / 10 * 10) : 0;
        unsigned w = mag >= 100 ? 3 : mag >= 10 ? 2 : 1;
        unsigned unit_w = b < 10 ? 1 : 3;
        kaal_put_size(b < 64 ? 1ull << b : 0);
        for (unsigned pad = w + 1 + unit_w; pad < 10; pad++) {
            kaal_putc(' ');
        }
        kaal_put_dec_width(b, 5);
        kaal_puts(u->isDevice ? "  device\n" : "  RAM\n");
    }
    return n;
}

static void print_initial_caps(void)
{
    kaal_puts("initial caps:\n");
    for (seL4_CPtr slot = 0; slot < seL4_NumInitialCaps; slot++) {
        kaal_puts("  ");
        kaal_put_dec_width(slot, 2);
        kaal_puts("  ");
        kaal_puts_pad(initial_cap_names[slot], 28);
        put_cap_type(sys_debug_cap_identify(slot));
        kaal_putc('\n');
    }
}

/* What the ABI promises the root task (docs/abi.md#boot); each line is printed as ok or FAIL. */
static void check_bootinfo(const seL4_BootInfo *bi, seL4_Word n_untyped)
{
    kaal_puts("checks:\n");
    seL4_Word bits = bi->initThreadCNodeSizeBits;
    check(bits >= 4 && bits < 64 && bi->empty.end == (1ull << bits),
          "empty region ends at the end of the root CNode");
    check(bi->empty.start >= seL4_NumInitialCaps && bi->empty.start <= bi->empty.end,
          "empty region starts after the initial caps");
    check(bi->untyped.start >= seL4_NumInitialCaps && bi->untyped.end <= bi->empty.start,
          "untyped region lies between the initial caps and the empty region");
    check(bi->untyped.end - bi->untyped.start <= KAAL_BOOTINFO_UNTYPED_SLOTS,
          "untyped list fits the bootinfo frame");
    check(n_untyped > 0, "at least one untyped");

    int all_untyped = 1;
    for (seL4_Word i = 0; i < n_untyped; i++) {
        if (sys_debug_cap_identify(bi->untyped.start + i) != KAAL_CAP_TAG_UNTYPED) {
            all_untyped = 0;
        }
    }
    check(all_untyped, "every slot of the untyped region holds an untyped cap");
    check(sys_debug_cap_identify(bi->empty.start) == KAAL_CAP_TAG_NULL,
          "the first empty slot is empty");
    check(sys_debug_cap_identify(seL4_CapInitThreadCNode) == KAAL_CAP_TAG_CNODE,
          "slot 2 holds the root CNode");
    check(sys_debug_cap_identify(seL4_CapInitThreadTCB) == KAAL_CAP_TAG_THREAD,
          "slot 1 holds the root thread");
}

int summary_main(const seL4_BootInfo *bi)
{
    kaal_puts("\nrootserver: KaaL root task summary\n");
    print_bootinfo(bi);
    seL4_Word n = print_untypeds(bi);
    print_initial_caps();
    check_bootinfo(bi, n);
    if (failed_checks != 0) {
        kaal_puts("rootserver: ");
        kaal_put_dec(failed_checks);
        kaal_puts(" check(s) FAILED\n");
        return 1;
    }
    kaal_puts("rootserver: all checks passed, exiting with status 0\n");
    return 0;
}
