/* SPDX-License-Identifier: BSD-2-Clause */
/* The cap broker's test, a root task for both ports: objects of every kind, device frames by
 * physical address, IRQ handlers, page tables on demand, and exhaustion of slots and of memory
 * answered with errors. Output: "ok"/"not ok" lines, then "N passed, M failed". */
#include <kaal/bootinfo.h>
#include <kaal/broker.h>
#include <kaal/dddk.h>
#include <kaal/print.h>
#include <kaal/start.h>
#include <kaal/sys.h>

static unsigned passed, failed;

static void check(int ok, const char *name)
{
    kaal_puts(ok ? "ok " : "not ok ");
    kaal_put_dec(passed + failed + 1);
    kaal_puts(" - ");
    kaal_puts(name);
    kaal_puts("\n");
    if (ok) {
        passed++;
    } else {
        failed++;
    }
}

static seL4_Word cap_type(seL4_CPtr c) { return sys_debug_cap_identify(c); }

int kaal_root_main(const seL4_BootInfo *bi)
{
    static struct kaal_broker b;
    kaal_puts("broker test\n");
    kaal_broker_init(&b, bi);
    seL4_CPtr c;
    check(kaal_broker_alloc(&b, seL4_EndpointObject, 0, &c) == seL4_NoError &&
              cap_type(c) == KAAL_CAP_TAG_ENDPOINT,
          "endpoint");
    check(kaal_broker_alloc(&b, seL4_NotificationObject, 0, &c) == seL4_NoError &&
              cap_type(c) == KAAL_CAP_TAG_NOTIFICATION,
          "notification");
    check(kaal_broker_alloc(&b, seL4_TCBObject, 0, &c) == seL4_NoError &&
              cap_type(c) == KAAL_CAP_TAG_THREAD,
          "tcb");
    check(kaal_broker_alloc(&b, seL4_CapTableObject, 6, &c) == seL4_NoError &&
              cap_type(c) == KAAL_CAP_TAG_CNODE,
          "cnode");
    check(kaal_broker_alloc(&b, seL4_ARM_SmallPageObject, 0, &c) == seL4_NoError &&
              cap_type(c) == KAAL_CAP_TAG_FRAME,
          "frame");
    check(kaal_broker_alloc(&b, seL4_UntypedObject, 16, &c) == seL4_NoError &&
              cap_type(c) == KAAL_CAP_TAG_UNTYPED,
          "untyped");

    /* Page tables on demand: a frame at a fresh 1 GiB region needs three levels of tables. */
    seL4_CPtr f;
    kaal_broker_alloc(&b, seL4_ARM_SmallPageObject, 0, &f);
    check(kaal_broker_map(&b, seL4_CapInitThreadVSpace, f, 0x3c00000ul, seL4_ReadWrite,
                          seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever) == seL4_NoError,
          "map with page tables made on demand");
    volatile seL4_Word *p = (volatile seL4_Word *)0x3c00000ul;
    *p = 0x1234;
    check(*p == 0x1234, "the mapped page holds what is written");

    /* Device frames by physical address: the UART's page, from the device tree. */
    struct dddk_device uart = {0x9000000, 0x1000, 33, 1};
    seL4_Word size;
    dddk_fdt_find(kaal_bootinfo_fdt(bi, &size), "arm,pl011", &uart);
    check(uart.reg_base == 0x9000000 && uart.irq == 33,
          "device tree: arm,pl011 at 0x9000000, interrupt 33");
    seL4_CPtr dev;
    check(kaal_broker_device_frame(&b, uart.reg_base, &dev) == seL4_NoError &&
              cap_type(dev) == KAAL_CAP_TAG_FRAME,
          "device frame at the UART's address");
    seL4_ARM_Page_GetAddress_t a = sys_arm_page_get_address(dev);
    check(a.error == seL4_NoError && a.paddr == uart.reg_base,
          "its physical address is the UART's");
    check(kaal_broker_device_frame(&b, uart.reg_base, &dev) == seL4_InvalidArgument,
          "the same page twice: refused");
    check(kaal_broker_device_frame(&b, uart.reg_base + 0x2000, &dev) == seL4_NoError &&
              sys_arm_page_get_address(dev).paddr == uart.reg_base + 0x2000,
          "a neighbouring page from the split pieces");
    check(kaal_broker_device_frame(&b, uart.reg_base + 1, &dev) == seL4_AlignmentError,
          "misaligned: refused");
    check(kaal_broker_device_frame(&b,
                                   bi->untypedList[bi->untyped.end - bi->untyped.start - 1].paddr,
                                   &dev) == seL4_InvalidArgument,
          "RAM is not device memory: refused");

    /* IRQ handlers. */
    seL4_CPtr irq;
    check(kaal_broker_irq(&b, uart.irq, &irq) == seL4_NoError &&
              cap_type(irq) == KAAL_CAP_TAG_IRQ_HANDLER,
          "IRQ handler");
    seL4_CPtr again;
    check(kaal_broker_irq(&b, uart.irq, &again) == seL4_RevokeFirst,
          "the same IRQ twice: RevokeFirst");
    /* Give it back (an IRQ left with a handler keeps the machine from powering off at the end). */
    check(sys_cnode_delete(seL4_CapInitThreadCNode, irq, seL4_WordBits) == seL4_NoError &&
              kaal_broker_irq(&b, uart.irq, &irq) == seL4_NoError &&
              sys_cnode_delete(seL4_CapInitThreadCNode, irq, seL4_WordBits) == seL4_NoError,
          "deleted, the IRQ can be had again");

    /* Exhaustion: slots, then memory. */
    struct kaal_broker small = b;
    small.pool.slots = &small.slots;
    small.slots.end = small.slots.next + 3;
    int n = 0;
    while (kaal_broker_alloc(&small, seL4_EndpointObject, 0, &c) == seL4_NoError && n < 10) {
        n++;
    }
    check(n == 3 && kaal_broker_alloc(&small, seL4_EndpointObject, 0, &c) == seL4_NotEnoughMemory &&
              kaal_broker_slot(&small) == seL4_CapNull,
          "out of slots: NotEnoughMemory, no crash");
    b.slots.next = small.slots.next; /* those slots are used */
    struct kaal_broker tiny = b;
    seL4_CPtr ut;
    kaal_broker_alloc(&b, seL4_UntypedObject, 14, &ut); /* 16 KiB */
    tiny.slots = b.slots;
    kaal_untyped_init(&tiny.pool, &tiny.slots);
    kaal_untyped_add(&tiny.pool, ut, 14);
    n = 0;
    while (kaal_broker_alloc(&tiny, seL4_ARM_SmallPageObject, 0, &c) == seL4_NoError && n < 10) {
        n++;
    }
    seL4_Error last = kaal_broker_alloc(&tiny, seL4_ARM_SmallPageObject, 0, &c);
    if (n != 4 || last != seL4_NotEnoughMemory) {
        kaal_puts("# pages ");
        kaal_put_dec((seL4_Word)n);
        kaal_puts(", then error ");
        kaal_put_dec(last);
        kaal_puts("\n");
    }
    check(n == 4 && last == seL4_NotEnoughMemory,
          "out of memory: 4 pages from 16 KiB, then NotEnoughMemory");
    kaal_put_dec(passed);
    kaal_puts(" passed, ");
    kaal_put_dec(failed);
    kaal_puts(" failed\n");
    return failed != 0;
}
