/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: state the start-up code records for the root task. */
#include <kaal/start.h>

static int root_user_mode;
static int root_status = -1;

int kaal_root_user_mode(void) { return root_user_mode; }
void kaal_set_root_user_mode(int user_mode) { root_user_mode = user_mode; }
int kaal_root_status(void) { return root_status; }
void kaal_set_root_status(int status) { root_status = status; }
