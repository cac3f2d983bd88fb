/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim machine: the kernel's console (to stderr, dropped, or captured for tests) and the record
 * of a kernel panic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hostsim/hostsim.h>
#include <hostsim_if/machine.h>

#include "internal.h"

static bool console_quiet;
static bool console_capturing;
static char *capture_buf;
static size_t capture_len, capture_cap;

void hostsim_console_putc(char c)
{
    if (console_capturing) {
        if (capture_len + 2 > capture_cap) {
            size_t cap = capture_cap ? capture_cap * 2 : 4096;
            char *p = realloc(capture_buf, cap);
            if (!p) {
                return;
            }
            capture_buf = p;
            capture_cap = cap;
        }
        capture_buf[capture_len++] = c;
        capture_buf[capture_len] = '\0';
        return;
    }
    if (!console_quiet) {
        fputc(c, stderr);
    }
}

void hostsim_console_quiet(bool quiet) { console_quiet = quiet; }

void hostsim_console_capture(bool capture)
{
    console_capturing = capture;
    capture_len = 0;
    if (capture_buf) {
        capture_buf[0] = '\0';
    }
}

const char *hostsim_console_take(void)
{
    static char *taken;
    free(taken);
    taken = capture_buf ? strdup(capture_buf) : strdup("");
    capture_len = 0;
    if (capture_buf) {
        capture_buf[0] = '\0';
    }
    return taken;
}

bool hostsim_did_panic;

void hostsim_note_panic(void) { hostsim_did_panic = true; }
bool hostsim_panicked(void) { return hostsim_did_panic; }
