/* SPDX-License-Identifier: BSD-2-Clause */
/* The tutorial's component (docs/tutorial.md, step 3): answers every Call with one more than the
 * number it was sent. The demo starts it and the shell's `hello N` talks to it. */
#include <kaal/component.h>
#include <kaal/sys.h>

void hello_main(const struct kaal_component_args *args);

void hello_main(const struct kaal_component_args *args)
{
    seL4_CPtr ep = kaal_component_cap(args, "ep");
    seL4_Word badge;
    seL4_MessageInfo_t info = kaal_server_recv(ep, &badge, KAAL_COMPONENT_REPLY);
    for (;;) {
        seL4_Word n = sys_get_mr(0);
        sys_set_mr(0, n + 1); /* the answer: one more than the question */
        info = kaal_server_reply_recv(ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge,
                                      KAAL_COMPONENT_REPLY);
        (void)info;
    }
}
