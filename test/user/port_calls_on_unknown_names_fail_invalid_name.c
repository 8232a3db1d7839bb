/* SPDX-License-Identifier: MIT */
/*
 * Every mach_port call that looks a name up returns KERN_INVALID_NAME for a
 * name that denotes nothing (never used, or freed: a stale name with an old
 * generation does not reach the entry's new right) and writes none of its
 * out-parameters.
 */
#include "ut_ports.h"

int
main(void)
{
    mach_port_t self = mach_task_self();
    mach_port_name_t stale, reuse, unknown = 0xc101u, pset, out = 0x1111u;
    mach_port_type_t type = 0x2222u;
    mach_port_urefs_t refs = 0x3333u;
    mach_port_status_t st;
    mach_msg_type_name_t t = 0x44u;
    mach_port_name_array_t members = NULL;
    mach_msg_type_number_t count = 0x55u;
    mach_port_t previous = 0x6666u;

    ut_stats_begin();
    stale = ut_port();
    UT_KR(mach_port_destroy(self, stale), KERN_SUCCESS);
    reuse = ut_port(); /* may take the freed entry, under a new generation */
    UT_ASSERT(reuse != stale);
    mach_port_name_t notify = ut_port();
    UT_KR(mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);

    mach_port_name_t bad[] = {unknown, stale, MACH_PORT_NULL, MACH_PORT_DEAD};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mach_port_name_t n = bad[i];
        UT_KR(mach_port_type(self, n, &type), KERN_INVALID_NAME);
        UT_KR(mach_port_get_refs(self, n, MACH_PORT_RIGHT_SEND, &refs), KERN_INVALID_NAME);
        UT_KR(mach_port_mod_refs(self, n, MACH_PORT_RIGHT_SEND, 1), KERN_INVALID_NAME);
        UT_KR(mach_port_destroy(self, n), KERN_INVALID_NAME);
        UT_KR(mach_port_rename(self, n, 0xc202u), KERN_INVALID_NAME);
        UT_KR(mach_port_get_receive_status(self, n, &st), KERN_INVALID_NAME);
        UT_KR(mach_port_set_qlimit(self, n, 1), KERN_INVALID_NAME);
        UT_KR(mach_port_set_mscount(self, n, 1), KERN_INVALID_NAME);
        UT_KR(mach_port_set_seqno(self, n, 1), KERN_INVALID_NAME);
        UT_KR(mach_port_move_member(self, n, pset), KERN_INVALID_NAME);
        UT_KR(mach_port_get_set_status(self, n, &members, &count), KERN_INVALID_NAME);
        UT_KR(mach_port_extract_right(self, n, MACH_MSG_TYPE_COPY_SEND, &out, &t),
              KERN_INVALID_NAME);
        UT_KR(mach_port_request_notification(self, n, MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_NULL,
                                             MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
              KERN_INVALID_NAME);
        UT_KR(mach_port_request_notification(self, n, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL,
                                             MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
              KERN_INVALID_NAME);
    }
    /* A refused request does not keep the send-once right it carried: the
     * kernel destroys it, which sends its send-once notification (on that
     * right, which exists until the notification is received). */
    UT_KR(mach_port_request_notification(self, unknown, MACH_NOTIFY_DEAD_NAME, 0, notify,
                                         MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous),
          KERN_INVALID_NAME);
    ut_msg_t m;
    UT_KR(ut_rcv(notify, &m, 1000), MACH_MSG_SUCCESS);
    ut_expect_notification(&m, notify, MACH_NOTIFY_SEND_ONCE,
                           sizeof(mach_send_once_notification_t));
    UT_EQ(ut_status(notify).mps_sorights, 0);
    /* deallocate: unknown and stale names (MACH_PORT_NULL/DEAD are left
     * out: classic Mach treats them as a successful no-op there). */
    UT_KR(mach_port_deallocate(self, unknown), KERN_INVALID_NAME);
    UT_KR(mach_port_deallocate(self, stale), KERN_INVALID_NAME);

    /* Out-parameters untouched; nothing appeared under the names. */
    UT_EQ(type, 0x2222u);
    UT_EQ(refs, 0x3333u);
    UT_EQ(out, 0x1111u);
    UT_EQ(t, 0x44u);
    UT_EQ(count, 0x55u);
    UT_EQ(previous, 0x6666u);
    UT_KR(mach_port_type(self, 0xc202u, &type), KERN_INVALID_NAME);
    UT_EQ(ut_status(notify).mps_msgcount, 0);
    UT_EQ(ut_type(reuse), MACH_PORT_TYPE_RECEIVE);

    UT_KR(mach_port_destroy(self, reuse), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, notify), KERN_SUCCESS);
    UT_KR(mach_port_destroy(self, pset), KERN_SUCCESS);
    ut_stats_expect_baseline();
    return ut_pass();
}
